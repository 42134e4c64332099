/**
 * A static key: the on/off switch at a tracepoint's call site. On hardware the original patches a
 * NOP into a branch; here it is one boolean field, so a disabled call site costs a property load
 * and a not-taken branch (see the benchmark in the README). Guard expensive argument computation
 * with `if (tp.key.enabled) tp.fire(...)`.
 */
export class StaticKey {
  enabled = false;

  enable(): void {
    this.enabled = true;
  }

  disable(): void {
    this.enabled = false;
  }
}
