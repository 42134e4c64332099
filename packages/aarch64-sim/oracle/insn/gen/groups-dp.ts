// Data-processing encoding groups (Arm ARM C4.1.2 "Data Processing -- Immediate" and C4.1.6
// "Data Processing -- Register"). Every free bit is random; objdump drops unallocated results.
import { fromMask, type Group } from "./common.ts";

/** A group drawn from one (mask, value) pair of fixed bits. */
const masked = (name: string, count: number, mask: number, value: number): Group => ({
  name,
  count,
  gen: (r) => ({ words: [fromMask(r, mask, value)] }),
});

export const DP_GROUPS: readonly Group[] = [
  // immediate
  masked("dp-imm-pcrel", 3000, 0x1f00_0000, 0x1000_0000), // ADR, ADRP
  masked("dp-imm-addsub", 5000, 0x1f80_0000, 0x1100_0000), // ADD/ADDS/SUB/SUBS #imm (incl. SP forms)
  masked("dp-imm-logical", 5000, 0x1f80_0000, 0x1200_0000), // AND/ORR/EOR/ANDS bitmask immediates
  masked("dp-imm-movewide", 3000, 0x1f80_0000, 0x1280_0000), // MOVN/MOVZ/MOVK
  masked("dp-imm-bitfield", 5000, 0x1f80_0000, 0x1300_0000), // SBFM/BFM/UBFM (ASR, LSL, SXTW, BFI...)
  masked("dp-imm-extract", 3000, 0x1f80_0000, 0x1380_0000), // EXTR, ROR #imm
  // register
  masked("dp-reg-logical", 5000, 0x1f00_0000, 0x0a00_0000), // AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS shifted
  masked("dp-reg-addsub-shifted", 5000, 0x1f20_0000, 0x0b00_0000),
  masked("dp-reg-addsub-extended", 5000, 0x1f20_0000, 0x0b20_0000),
  masked("dp-reg-addsub-carry", 3000, 0x1fe0_fc00, 0x1a00_0000), // ADC/ADCS/SBC/SBCS
  masked("dp-reg-condcmp", 4000, 0x1fe0_0000, 0x1a40_0000), // CCMN/CCMP register and immediate
  masked("dp-reg-condsel", 4000, 0x1fe0_0000, 0x1a80_0000), // CSEL/CSINC/CSINV/CSNEG (CSET, CNEG...)
  masked("dp-reg-div", 3000, 0x7fe0_f800, 0x1ac0_0800), // UDIV/SDIV
  masked("dp-reg-shiftv", 3000, 0x7fe0_f000, 0x1ac0_2000), // LSLV/LSRV/ASRV/RORV
  masked("dp-reg-crc32", 3000, 0x7fe0_e000, 0x1ac0_4000), // CRC32B/H/W/X, CRC32CB/H/W/X
  masked("dp-reg-1src", 3000, 0x5fff_0000, 0x5ac0_0000), // RBIT/REV16/REV32/REV/CLZ/CLS
  masked("dp-reg-3src", 5000, 0x1f00_0000, 0x1b00_0000), // MADD/MSUB/SMADDL/SMSUBL/SMULH/UMADDL/UMULH...
];
