// The device models against QEMU: fixtures/devices/mmio-script.txt (reset values, which bits stick, an SGI
// acknowledged and completed, a list register taken by the guest interface, PL011 interrupt registers) was
// replayed on qemu-system-aarch64 -M virt,virtualization=on -cpu cortex-a57 (gen-qemu-mmio.sh); the
// simulator replays it through VirtDevices' bus and must read the same values.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { VirtDevices, VirtMap } from "../src/devices/index.ts";

const fixture = (n: string) => readFileSync(new URL(`fixtures/devices/${n}`, import.meta.url), "utf8");
const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, "0");

test("every read of mmio-script.txt returns what QEMU returned (qemu-mmio.txt)", () => {
  const golden = fixture("qemu-mmio.txt")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  const ops = fixture("mmio-script.txt")
    .split("\n")
    .filter((l) => /^[rw] /.test(l));
  let out = "";
  const dev = new VirtDevices((b) => {
    out += String.fromCharCode(...b);
  });
  const bus = dev.bus;
  let k = 0;
  for (const op of ops) {
    const [kind, a, v] = op.split(" ");
    const addr = Number(a);
    if (kind === "w") {
      assert.ok(bus.write(addr, 0, 4, Number(v)), op);
      continue;
    }
    assert.ok(bus.read(addr, 0, 4), op);
    const line = `${hex8(addr)} ${hex8(bus.value)}`;
    assert.is(line, golden[k], `${op} (line ${k})`);
    k++;
    // the QEMU image prints each line on the PL011 (which sets RIS.TX): do the same
    for (const c of `${line}\n`) bus.write(VirtMap.UART0, 0, 4, c.charCodeAt(0));
  }
  assert.is(k, golden.length);
  assert.is(out.trimEnd().split("\n").length, golden.length);
});

test.run();
