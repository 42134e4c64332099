// SIMD&FP: the subset gcc emits for plain C (see README "Coverage"). Everything else is UNDEFINED.
import type { Row } from "./types.ts";

export const SIMD_ROWS: readonly Row[] = [];
export const SIMD_LDST_ROWS: readonly Row[] = [];
