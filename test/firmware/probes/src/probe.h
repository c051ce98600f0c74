/* Shared by the fidelity probes: a trap handler that records the trap and resumes after the
 * faulting instruction, and one-line reports ("name: ok 0x…" / "name: trap <cause> 0x<mtval>").
 * Each probe's output is compared line by line between Boardmap and qemu-system-riscv32 7.2. */
#ifndef PROBE_H
#define PROBE_H

#include "fw.h"

extern volatile uint32_t trap_count, trap_cause, trap_tval;

/* Prints "name: ok <value>" or "name: trap <mcause> <mtval>" for the last probe. */
void report(const char *name, uint32_t value);
/* Prints "name: <value>". */
void show(const char *name, uint32_t value);
/* Prints "name <addr>: " then the report. */
void report_at(const char *insn, uint32_t addr, uint32_t value);

#define PROBE_LOAD(insn, addr)                                                    \
  ({                                                                              \
    uint32_t v_ = 0xdeadbeefu;                                                    \
    trap_count = 0;                                                               \
    __asm__ volatile(insn " %0, 0(%1)" : "+r"(v_) : "r"(addr) : "memory");        \
    report_at(insn, (addr), v_);                                                  \
    v_;                                                                           \
  })

#define PROBE_STORE(insn, addr, value)                                            \
  ({                                                                              \
    trap_count = 0;                                                               \
    __asm__ volatile(insn " %0, 0(%1)" : : "r"(value), "r"(addr) : "memory");     \
    report_at(insn, (addr), (value));                                             \
  })

#define PROBE_AMO(insn, addr, value)                                              \
  ({                                                                              \
    uint32_t v_ = 0xdeadbeefu;                                                    \
    trap_count = 0;                                                               \
    __asm__ volatile(insn " %0, %2, (%1)" : "+r"(v_) : "r"(addr), "r"(value) : "memory"); \
    report_at(insn, (addr), v_);                                                  \
    v_;                                                                           \
  })

#define PROBE_LR(addr)                                                            \
  ({                                                                              \
    uint32_t v_ = 0xdeadbeefu;                                                    \
    trap_count = 0;                                                               \
    __asm__ volatile("lr.w %0, (%1)" : "+r"(v_) : "r"(addr) : "memory");          \
    report_at("lr.w", (addr), v_);                                                \
    v_;                                                                           \
  })

static inline uint32_t rd32(uint32_t a) { return *(volatile uint32_t *)a; }
static inline uint16_t rd16(uint32_t a) { return *(volatile uint16_t *)a; }
static inline uint8_t rd8(uint32_t a) { return *(volatile uint8_t *)a; }
static inline void wr32(uint32_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr16(uint32_t a, uint16_t v) { *(volatile uint16_t *)a = v; }
static inline void wr8(uint32_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

#endif
