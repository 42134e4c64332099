/*
 * Outside oracle for record layouts: the C compiler's own offsetof/sizeof for the structs the
 * tracepoint package lays out by hand. Written from the spec (axebpf-spec.md §2.2.1, §2.2.2,
 * §3.9.2), not generated from the TypeScript definitions. Run by scripts/gen-layout-golden.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>

struct trace_entry { uint16_t common_type; uint8_t common_flags; uint8_t common_preempt_count; int32_t common_pid; };

#define REC(name, body) struct name##_payload body; struct name##_record { struct trace_entry entry; struct name##_payload p; };
REC(vmm_init, { uint32_t cpu_count; uint64_t duration_ns; })
REC(config_load, { uint32_t vm_id; uint64_t duration_ns; })
REC(image_load, { uint32_t vm_id; uint64_t image_size; uint64_t duration_ns; })
REC(vm_destroy, { uint32_t vm_id; })
REC(timer_tick, { uint64_t timestamp; })
REC(timer_event, { uint32_t event_type; uint32_t vm_id; })
REC(shell_command, { uint32_t cmd_id; uint64_t duration_ns; })
REC(shell_init, { uint64_t duration_ns; })
/* A mixed record exercising every alignment rule the package implements. */
REC(mixed, { uint8_t dev; int16_t len; uint64_t sector; char tag[8]; bool ok; int64_t delta; char name[3]; })

struct trace_event {
  uint64_t timestamp_ns; uint8_t probe_type; uint8_t cpu_id; uint16_t vm_id; uint32_t event_id;
  uint16_t name_offset; uint8_t nr_args; uint8_t _pad; uint64_t args[4]; uint64_t duration_ns;
};

#define F(rec, field) printf("%s\"%s\": [%zu, %zu]", first ? "" : ", ", #field, \
  offsetof(struct rec##_record, p.field), sizeof(((struct rec##_record *)0)->p.field)); first = 0;
#define BEGIN(rec) { int first = 1; printf("  \"%s\": {\"size\": %zu, \"fields\": {", #rec, sizeof(struct rec##_record));
#define END(last) printf("}}%s\n", last ? "" : ","); }

int main(void) {
  printf("{\n");
  BEGIN(vmm_init) F(vmm_init, cpu_count) F(vmm_init, duration_ns) END(0)
  BEGIN(config_load) F(config_load, vm_id) F(config_load, duration_ns) END(0)
  BEGIN(image_load) F(image_load, vm_id) F(image_load, image_size) F(image_load, duration_ns) END(0)
  BEGIN(vm_destroy) F(vm_destroy, vm_id) END(0)
  BEGIN(timer_tick) F(timer_tick, timestamp) END(0)
  BEGIN(timer_event) F(timer_event, event_type) F(timer_event, vm_id) END(0)
  BEGIN(shell_command) F(shell_command, cmd_id) F(shell_command, duration_ns) END(0)
  BEGIN(shell_init) F(shell_init, duration_ns) END(0)
  BEGIN(mixed) F(mixed, dev) F(mixed, len) F(mixed, sector) F(mixed, tag) F(mixed, ok) F(mixed, delta) F(mixed, name) END(0)
  printf("  \"trace_event\": {\"size\": %zu, \"fields\": {", sizeof(struct trace_event));
#define E(field, last) printf("\"%s\": [%zu, %zu]%s", #field, offsetof(struct trace_event, field), \
  sizeof(((struct trace_event *)0)->field), last ? "" : ", ");
  E(timestamp_ns, 0) E(probe_type, 0) E(cpu_id, 0) E(vm_id, 0) E(event_id, 0) E(name_offset, 0)
  E(nr_args, 0) E(_pad, 0) E(args, 0) E(duration_ns, 1)
  printf("}}\n}\n");
  return 0;
}
