// Oracle for the kallsyms tests: reads a blob with the original Rust reader (Starry-OS/ksym,
// KallsymsMapped) and prints its dump, address lookups and name lookups as text.
// Built and run by ../gen-ksym-oracle.sh; usage: oracle <blob> <stext hex> <etext hex> <probes>
use ksym::{KSYM_NAME_LEN, KallsymsMapped};
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).expect("blob");
    // The reader pads relative to the blob's memory address: give it 8-byte aligned storage.
    let mut words = vec![0u64; bytes.len().div_ceil(8)];
    let buf = unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr() as *mut u8, bytes.len()) };
    buf.copy_from_slice(&bytes);
    let stext = u64::from_str_radix(&args[2], 16).expect("stext");
    let etext = u64::from_str_radix(&args[3], 16).expect("etext");
    let k = KallsymsMapped::from_blob(buf, stext, etext).expect("from_blob");
    let stdout = std::io::stdout();
    let mut o = stdout.lock();
    let dump = k.dump_all_symbols();
    write!(o, "{dump}").unwrap();
    let mut nb = [0u8; KSYM_NAME_LEN];
    for line in std::fs::read_to_string(&args[4]).expect("probes").lines() {
        let a = u64::from_str_radix(line.trim(), 16).expect("probe");
        match k.lookup_address(a, &mut nb) {
            Some((name, size, off, ty)) => writeln!(o, "lookup {a:x} {ty} {size:x} {off:x} {name}").unwrap(),
            None => writeln!(o, "lookup {a:x} none").unwrap(),
        }
    }
    for (i, line) in dump.lines().enumerate() {
        // Every name of small tables; every 7th of large ones keeps the goldens small.
        if dump.len() > 20_000 && i % 7 != 0 {
            continue;
        }
        let name = line.splitn(3, ' ').nth(2).unwrap_or("");
        if name.is_empty() {
            continue;
        }
        match k.lookup_name(name) {
            Some(a) => writeln!(o, "name {a:x} {name}").unwrap(),
            None => writeln!(o, "name none {name}").unwrap(),
        }
    }
}
