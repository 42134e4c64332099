// Operand names shared by the AdvSIMD decode files.

export const ARR = ["8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d"] as const;
export const arr = (size: number, q: number): string => ARR[size * 2 + q] as string;
export const ESZ = ["b", "h", "s", "d"] as const;
export const v = (r: number, size: number, q: number): string => `v${r}.${arr(size, q)}`;
