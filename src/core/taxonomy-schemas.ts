// zod schemas of the taxonomy's vocabularies (taxonomy.ts), for request and model-output
// validation. Each schema also names its type, so `Lang` is both, as before the split.
import { z } from 'zod';
import { CATEGORIES, LANGS, REASONS, ROOT_CAUSES, type Category as CategoryType, type Lang as LangType } from './taxonomy.js';

export const Category = z.enum(CATEGORIES);
export type Category = CategoryType;
export const RootCauseSchema = z.enum(ROOT_CAUSES);
export const ReasonSchema = z.enum(REASONS);
export const Lang = z.enum(LANGS);
export type Lang = LangType;
