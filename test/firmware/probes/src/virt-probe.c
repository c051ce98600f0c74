/* virt-probe.elf — what firmware sees when it probes QEMU 7.2's riscv32 `virt` machine
 * (`-M virt -bios none`): the reset state, misaligned accesses to RAM, ROM, holes and devices
 * (value or mcause/mtval), and the devices Boardmap models as placeholders (virtio-mmio,
 * fw_cfg, PCIe ECAM and windows, goldfish RTC), and the device tree it gets in a1. One line per
 * probe; test/firmware compares the
 * lines with QEMU's (expected/virt-probe.txt was written by QEMU, see the Makefile). */
#include "probe.h"

#define MIP_MTIP 0x80u
#define MIE_MTIE 0x80u
#define MSTATUS_MIE 0x8u

/* A RAM buffer with a page boundary in the middle, for page-crossing accesses. */
static uint8_t buf[8192] __attribute__((aligned(4096)));

static void fill_buf(void) {
  for (uint32_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 7u + 1u);
}

static void section(const char *name) {
  print_str("== ");
  print_str(name);
  print_nl();
}

static void reset_state(uint32_t mip_at_entry) {
  section("reset");
  show("mip at entry", mip_at_entry & MIP_MTIP);
  show("mtimecmp lo", rd32(0x02004000u));
  show("mtimecmp hi", rd32(0x02004004u));
  show("uart mcr", rd8(0x10000004u));
  show("uart lsr", rd8(0x10000005u));
  show("uart msr", rd8(0x10000006u));
  show("uart iir", rd8(0x10000002u));
  /* Enabling MTIE with MIE set takes the pending timer interrupt at once. */
  trap_count = 0;
  __asm__ volatile("csrs mie, %0" : : "r"(MIE_MTIE));
  __asm__ volatile("csrs mstatus, %0" : : "r"(MSTATUS_MIE));
  __asm__ volatile("nop");
  __asm__ volatile("csrc mstatus, %0" : : "r"(MSTATUS_MIE));
  show("timer irq taken", trap_count);
  show("timer irq cause", trap_count ? trap_cause : 0);
}

static void misaligned_loads(void) {
  uint32_t b = (uint32_t)buf;
  section("misaligned loads");
  PROBE_LOAD("lw", 0x0c000002u);  /* PLIC priorities 0 and 1 */
  PROBE_LOAD("lw", 0x0c000006u);
  PROBE_LOAD("lh", 0x0c000002u);  /* aligned, but the PLIC takes only words */
  PROBE_LOAD("lhu", 0x0c000003u);
  PROBE_LOAD("lw", 0x02004002u);  /* mtimecmp */
  PROBE_LOAD("lw", 0x02004006u);
  PROBE_LOAD("lw", 0x0200bffeu);  /* mtime high, then past the MTIMER */
  PROBE_LOAD("lw", 0x02000001u);  /* msip */
  PROBE_LOAD("lhu", 0x02000001u);
  PROBE_LOAD("lhu", 0x10000005u); /* UART: MCR/LSR word, then MSR/SCR */
  PROBE_LOAD("lh", 0x10000003u);
  PROBE_LOAD("lw", 0x10000005u);
  PROBE_LOAD("lw", 0x10000006u);  /* UART, then the hole after it */
  PROBE_LOAD("lh", 0x10000007u);
  PROBE_LOAD("lbu", 0x10000005u);
  PROBE_LOAD("lw", 0x00000ffeu);  /* hole, then the reset ROM */
  PROBE_LOAD("lw", 0x00001002u);  /* reset ROM */
  PROBE_LOAD("lhu", 0x00001005u);
  PROBE_LOAD("lw", 0x0000fffeu);  /* end of the ROM, then a hole */
  PROBE_LOAD("lw", 0x00100002u);  /* SiFive test */
  PROBE_LOAD("lw", 0x87fffffeu);  /* end of RAM */
  PROBE_LOAD("lhu", 0x87ffffffu);
  PROBE_LOAD("lw", 0x87fffffcu);
  PROBE_LOAD("lw", 0x7ffffffeu);  /* PCIe MMIO window, then RAM */
  PROBE_LOAD("lw", 0x10001002u);  /* virtio-mmio magic/version */
  PROBE_LOAD("lhu", 0x10001001u);
  PROBE_LOAD("lw", 0x100011feu);  /* end of a virtio-mmio slot */
  PROBE_LOAD("lw", 0x30000002u);  /* PCIe ECAM: host bridge */
  PROBE_LOAD("lw", 0x1010000au);  /* fw_cfg ctl (2 bytes), then a hole */
  print_str("ram buffer at buf+1, buf+4094, buf+4095 (page crossing)\n");
  show("lw buf+1", PROBE_LOAD("lw", b + 1) == *(volatile uint32_t *)(b + 1));
  show("lw buf+4094", PROBE_LOAD("lw", b + 4094) == (uint32_t)(buf[4094] | buf[4095] << 8 | buf[4096] << 16 | (uint32_t)buf[4097] << 24));
  show("lh buf+4095", PROBE_LOAD("lh", b + 4095) == (uint32_t)(int16_t)(buf[4095] | buf[4096] << 8));
}

static void misaligned_stores(void) {
  uint32_t b = (uint32_t)buf;
  section("misaligned stores");
  wr8(0x10000007u, 0);
  PROBE_STORE("sw", 0x10000007u, 0x11223344u); /* UART SCR, then the hole after it */
  show("uart scr", rd8(0x10000007u));
  PROBE_STORE("sh", 0x10000007u, 0x5566u);
  show("uart scr", rd8(0x10000007u));
  PROBE_STORE("sw", 0x10000005u, 0x77000000u); /* LSR, MSR (ignored), SCR, hole */
  show("uart scr", rd8(0x10000007u));
  PROBE_STORE("sw", 0x0c000006u, 0x00000300u); /* PLIC: word registers only */
  show("plic priority 1", rd32(0x0c000004u));
  show("plic priority 2", rd32(0x0c000008u));
  PROBE_STORE("sw", 0x02004002u, 0x12345678u); /* mtimecmp */
  show("mtimecmp lo", rd32(0x02004000u));
  PROBE_STORE("sh", 0x00100001u, 0x1234u);     /* SiFive test: 16/32-bit only */
  PROBE_STORE("sw", 0x00000ffeu, 0x01020304u); /* hole, then ROM */
  PROBE_STORE("sw", 0x0000fffeu, 0x01020304u); /* ROM (ignored), then a hole */
  show("rom at 0xfffc", rd32(0x0000fffcu));
  wr32(0x87fffffcu, 0);
  PROBE_STORE("sw", 0x87fffffeu, 0xa1b2c3d4u); /* end of RAM */
  show("ram at 0x87fffffc", rd32(0x87fffffcu));
  PROBE_STORE("sh", 0x87ffffffu, 0xe5f6u);
  show("ram at 0x87fffffc", rd32(0x87fffffcu));
  PROBE_STORE("sw", b + 4094, 0x0a0b0c0du);    /* page crossing in RAM */
  show("ram at buf+4092", rd32(b + 4092));
  show("ram at buf+4096", rd32(b + 4096));
  PROBE_STORE("sh", b + 1, 0xbeefu);
  show("ram at buf", rd32(b));
  PROBE_STORE("sw", 0x10001002u, 0xffffffffu); /* virtio-mmio: writes ignored */
  show("virtio magic", rd32(0x10001000u));
}

static void amos(void) {
  uint32_t b = (uint32_t)buf;
  section("atomics");
  wr32(b + 8, 5);
  PROBE_AMO("amoadd.w", b + 8, 3u);
  show("ram at buf+8", rd32(b + 8));
  PROBE_AMO("amoadd.w", b + 10, 3u);           /* misaligned */
  show("ram at buf+8", rd32(b + 8));
  PROBE_AMO("amoswap.w", b + 9, 3u);
  PROBE_AMO("amoor.w", 0x0c000002u, 1u);
  PROBE_LR(b + 2);
  PROBE_AMO("sc.w", b + 2, 7u);
  PROBE_AMO("amoadd.w", 0x00000ffcu, 1u);      /* hole */
  PROBE_AMO("amoswap.w", 0x87fffffcu, 1u);
  PROBE_AMO("amoadd.w", 0x0000fffcu, 1u);      /* ROM */
  PROBE_LR(0x00000ffcu);
  PROBE_AMO("sc.w", 0x00000ffcu, 1u);          /* no reservation: fails, no access */
  PROBE_AMO("amoor.w", 0x0c000008u, 1u);       /* PLIC priority 2 */
  show("plic priority 2", rd32(0x0c000008u));
  PROBE_AMO("amoadd.w", 0x10001000u, 1u);      /* virtio-mmio magic */
}

static const uint32_t FWCFG = 0x10100000u;

static void fwcfg_select(uint16_t key) { wr16(FWCFG + 8, (uint16_t)(key << 8 | key >> 8)); }

static void fwcfg_read(void *dst, uint32_t n) {
  uint8_t *d = dst;
  for (uint32_t i = 0; i < n; i++) d[i] = rd8(FWCFG);
}

static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void print_bytes(const uint8_t *p, uint32_t n) {
  static const char digits[] = "0123456789abcdef";
  for (uint32_t i = 0; i < n; i++) {
    console_putc(digits[p[i] >> 4]);
    console_putc(digits[p[i] & 15]);
  }
}

static void fw_cfg(void) {
  section("fw_cfg");
  uint8_t b[64];
  static const uint16_t keys[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                  0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13,
                                  0x14, 0x15, 0x16, 0x17, 0x18, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e,
                                  0x1f, 0x20, 0x21, 0x8000, 0x4000, 0x4001};
  for (uint32_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
    fwcfg_select(keys[k]);
    fwcfg_read(b, 16);
    print_str("key ");
    print_hex(keys[k]);
    print_str(": ");
    print_bytes(b, 16);
    print_nl();
  }
  fwcfg_select(0x0000);
  show("data lw signature", rd32(FWCFG));
  show("data lhu next", rd16(FWCFG));
  PROBE_LOAD("lw", FWCFG + 4);
  PROBE_LOAD("lhu", FWCFG + 8);
  PROBE_LOAD("lbu", FWCFG + 8);
  PROBE_LOAD("lw", FWCFG + 16);
  PROBE_LOAD("lw", FWCFG + 20);
  PROBE_LOAD("lbu", FWCFG + 17);
  PROBE_LOAD("lhu", FWCFG + 22);
  PROBE_STORE("sb", FWCFG + 8, 0u);
  PROBE_STORE("sw", FWCFG + 8, 0u);
  PROBE_STORE("sb", FWCFG, 0u);
  fwcfg_select(0x0019);
  fwcfg_read(b, 4);
  uint32_t count = be32(b);
  show("file count", count);
  for (uint32_t i = 0; i < count && i < 32; i++) {
    fwcfg_read(b, 64);
    print_str("file ");
    print_hex(be32(b));
    print_str(" ");
    print_hex((uint32_t)b[4] << 8 | b[5]);
    print_str(" ");
    print_hex((uint32_t)b[6] << 8 | b[7]);
    print_str(" ");
    print_str((const char *)b + 8);
    print_nl();
  }
  /* file contents: select each again and print up to 32 bytes */
  for (uint32_t i = 0; i < count && i < 32; i++) {
    fwcfg_select(0x0019);
    fwcfg_read(b, 4);
    for (uint32_t j = 0; j <= i; j++) fwcfg_read(b, 64);
    uint32_t size = be32(b);
    uint16_t sel = (uint16_t)(b[4] << 8 | b[5]);
    uint8_t c[32];
    fwcfg_select(sel);
    fwcfg_read(c, size < 32 ? size : 32);
    print_str("content ");
    print_str((const char *)b + 8);
    print_str(": ");
    print_bytes(c, size < 32 ? size : 32);
    print_nl();
  }
}

static uint32_t bswap32(uint32_t v) {
  return v >> 24 | (v >> 8 & 0xff00u) | (v << 8 & 0xff0000u) | v << 24;
}

/* One FWCfgDmaAccess: { be32 control, be32 length, be64 address }. */
static struct {
  uint32_t control, length, address_hi, address_lo;
} __attribute__((aligned(16))) dma_access;
static uint8_t dma_buf[80];

static void fwcfg_dma(uint32_t control, uint32_t length, uint32_t address) {
  dma_access.control = bswap32(control);
  dma_access.length = bswap32(length);
  dma_access.address_hi = 0;
  dma_access.address_lo = bswap32(address);
  __asm__ volatile("" : : : "memory"); /* the device reads and writes memory behind C's back */
  wr32(FWCFG + 16, 0);
  wr32(FWCFG + 20, bswap32((uint32_t)&dma_access));
  __asm__ volatile("" : : : "memory");
  print_str("dma ");
  print_hex(control);
  print_str(" ");
  print_hex(length);
  print_str(": control ");
  print_hex(bswap32(dma_access.control));
  print_nl();
}

static void fw_cfg_dma(void) {
  section("fw_cfg dma");
  for (uint32_t i = 0; i < sizeof dma_buf; i++) dma_buf[i] = 0xaa;
  fwcfg_dma(0x00190000u | 0x08u | 0x02u, 72, (uint32_t)dma_buf); /* select file dir, read */
  print_bytes(dma_buf, 16);
  print_str(" ");
  print_str((const char *)dma_buf + 12);
  print_nl();
  fwcfg_dma(0x04u, 64, 0);                                      /* skip an entry */
  fwcfg_dma(0x02u, 72, (uint32_t)dma_buf);                      /* read on: entry 3, then zeros */
  print_bytes(dma_buf, 8);
  print_str(" ");
  print_str((const char *)dma_buf + 8);
  print_str(" ");
  print_bytes(dma_buf + 64, 8);
  print_nl();
  fwcfg_dma(0x00000000u | 0x08u | 0x02u, 6, (uint32_t)dma_buf); /* signature, then a zero pad */
  print_bytes(dma_buf, 8);
  print_nl();
  fwcfg_dma(0x00220000u | 0x08u | 0x10u, 4, (uint32_t)dma_buf); /* write: refused */
  fwcfg_dma(0x00010000u | 0x08u | 0x02u, 4, 0x00000ffcu);       /* into a hole */
  fwcfg_dma(0x00010000u | 0x08u, 4, (uint32_t)dma_buf);          /* select only */
  show("data after select-only dma", rd32(FWCFG));
  fwcfg_dma(0x7fff0000u | 0x08u | 0x02u, 4, (uint32_t)dma_buf);  /* an invalid key reads zeros */
  print_bytes(dma_buf, 4);
  print_nl();
}

static void virtio(void) {
  section("virtio-mmio");
  static const uint16_t regs[] = {0x000, 0x004, 0x008, 0x00c, 0x010, 0x014, 0x034, 0x044,
                                  0x050, 0x060, 0x064, 0x070, 0x0fc, 0x100, 0x1fc};
  for (uint32_t slot = 1; slot <= 8; slot++) {
    uint32_t base = 0x10000000u + slot * 0x1000u;
    print_hex(base);
    print_str(":");
    for (uint32_t r = 0; r < sizeof regs / sizeof regs[0]; r++) {
      print_str(" ");
      print_hex(rd32(base + regs[r]));
    }
    print_nl();
  }
  wr32(0x10001070u, 0xf);
  show("virtio status after write", rd32(0x10001070u));
  show("virtio lbu +0", rd8(0x10001000u));
  show("virtio lbu +1", rd8(0x10001001u));
  show("virtio lhu +2", rd16(0x10001002u));
  show("virtio lhu +0", rd16(0x10001000u));
  show("virtio lbu +0xc", rd8(0x1000100cu));
  PROBE_LOAD("lw", 0x10009000u);   /* no ninth slot */
  PROBE_LOAD("lw", 0x10001200u);
}

static void pcie(void) {
  section("pcie");
  uint32_t ecam = 0x30000000u;
  for (uint32_t off = 0; off < 256; off += 4) {
    uint32_t v = rd32(ecam + off);
    if (v != 0) {
      print_str("00:00.0 +");
      print_hex(off);
      print_str(": ");
      print_hex(v);
      print_nl();
    }
  }
  show("00:00.0 lbu +0", rd8(ecam + 0));
  show("00:00.0 lhu +2", rd16(ecam + 2));
  show("00:00.0 lbu +0xb", rd8(ecam + 0xb));
  show("00:00.0 +0x100", rd32(ecam + 0x100));
  show("00:00.0 +0xffc", rd32(ecam + 0xffc));
  show("00:00.1", rd32(ecam + (1u << 12)));
  show("00:01.0", rd32(ecam + (1u << 15)));
  show("00:1f.7", rd32(ecam + (0x1fu << 15) + (7u << 12)));
  show("01:00.0", rd32(ecam + (1u << 20)));
  show("ff:1f.7 +0xffc", rd32(ecam + 0x0ffffffcu));
  show("00:01.0 lbu", rd8(ecam + (1u << 15)));
  show("00:01.0 lhu +2", rd16(ecam + (1u << 15) + 2));
  wr16(ecam + 4, 0xffff);
  show("00:00.0 command after 0xffff", rd32(ecam + 4));
  wr16(ecam + 4, 0);
  for (uint32_t off = 0x10; off <= 0x24; off += 4) {
    wr32(ecam + off, 0xffffffffu);
    print_str("00:00.0 bar +");
    print_hex(off);
    print_str(" after ~0: ");
    print_hex(rd32(ecam + off));
    print_nl();
  }
  wr32(ecam + 0x3c, 0xffffffffu);
  show("00:00.0 +0x3c after ~0", rd32(ecam + 0x3c));
  wr32(ecam + 0x0c, 0xffffffffu);
  show("00:00.0 +0x0c after ~0", rd32(ecam + 0x0c));
  wr32(ecam + (1u << 15) + 4, 0xffffffffu);
  show("00:01.0 +4 after ~0", rd32(ecam + (1u << 15) + 4));
  show("mmio window 0x40000000", rd32(0x40000000u));
  show("mmio window 0x7ffffffc", rd32(0x7ffffffcu));
  show("mmio window lbu 0x40000001", rd8(0x40000001u));
  show("mmio window lhu 0x50000002", rd16(0x50000002u));
  wr32(0x40000000u, 0);
  show("mmio window after sw 0", rd32(0x40000000u));
  show("io window 0x03000000", rd32(0x03000000u));
  show("io window 0x0300fffc", rd32(0x0300fffcu));
  show("io window lbu 0x03000003", rd8(0x03000003u));
  PROBE_LOAD("lw", 0x03010000u);
  PROBE_LOAD("lw", 0x04000000u);   /* platform bus: nothing on it */
  PROBE_LOAD("lw", 0x20000000u);   /* flash banks without a drive */
  PROBE_LOAD("lw", 0x23fffffcu);
}

static uint64_t rtc_ns(void) {
  uint32_t lo = rd32(0x00101000u);
  uint32_t hi = rd32(0x00101004u);
  return (uint64_t)hi << 32 | lo;
}

static void rtc(void) {
  section("goldfish rtc");
  uint64_t t0 = rtc_ns();
  show("seconds", (uint32_t)(t0 / 1000000000u));
  for (volatile int i = 0; i < 1000; i++) {
  }
  uint64_t t1 = rtc_ns();
  show("advances", t1 > t0);
  static const uint16_t regs[] = {0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c, 0x20};
  for (uint32_t r = 0; r < sizeof regs / sizeof regs[0]; r++) {
    print_str("rtc +");
    print_hex(regs[r]);
    report("", rd32(0x00101000u + regs[r]));
  }
  trap_count = 0;
  PROBE_LOAD("lbu", 0x00101000u);
  PROBE_LOAD("lhu", 0x00101004u);
  PROBE_LOAD("lw", 0x00101024u);
  /* alarm far in the future, irq enabled: nothing fires */
  wr32(0x00101010u, 1);
  show("irq enabled", rd32(0x00101010u));
  show("alarm status", rd32(0x00101018u));
  wr32(0x00101010u, 0);
  /* writing the time moves it */
  wr32(0x00101004u, 0);
  wr32(0x00101000u, 5);
  uint64_t t2 = rtc_ns();
  show("after set high", (uint32_t)(t2 >> 32));
  show("after set seconds", (uint32_t)(t2 / 1000000000u));
}

/* An RTC alarm 1 ms ahead, routed through the PLIC (source 11, context 0) to MEIP, while the
 * hart sleeps in wfi: the interrupt wakes it; the claim names the RTC. */
static void rtc_alarm(void) {
  section("rtc alarm");
  wr32(0x0c000000u + 11u * 4u, 1);  /* priority of source 11 */
  wr32(0x0c002000u, 1u << 11);      /* enabled for context 0 (M-mode) */
  wr32(0x0c200000u, 0);             /* threshold 0 */
  uint64_t at = rtc_ns() + 1000000u;
  wr32(0x0010100cu, (uint32_t)(at >> 32));
  wr32(0x00101008u, (uint32_t)at);
  show("alarm armed", rd32(0x00101018u));
  wr32(0x00101010u, 1);             /* IRQ_ENABLED */
  trap_count = 0;
  __asm__ volatile("csrs mie, %0" : : "r"(0x800u)); /* MEIE */
  __asm__ volatile("csrs mstatus, %0" : : "r"(MSTATUS_MIE));
  for (int i = 0; i < 10 && trap_count == 0; i++) __asm__ volatile("wfi");
  __asm__ volatile("csrc mstatus, %0" : : "r"(MSTATUS_MIE));
  uint64_t woke = rtc_ns();
  show("alarm irq taken", trap_count);
  show("alarm irq cause", trap_count ? trap_cause : 0);
  uint32_t claim = rd32(0x0c200004u);
  show("claim", claim);
  wr32(0x0c200004u, claim);
  show("alarm armed after", rd32(0x00101018u));
  show("woke at or after the alarm", woke >= at);
  show("woke within 1 ms of it", woke - at < 1000000u);
  wr32(0x0010101cu, 1);             /* CLEAR_INTERRUPT */
  wr32(0x00101010u, 0);
}

static uint32_t fdt32(uint32_t at) {
  return (uint32_t)rd8(at) << 24 | (uint32_t)rd8(at + 1) << 16 | (uint32_t)rd8(at + 2) << 8 |
         rd8(at + 3);
}

static int same(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

/* Walks the flattened device tree firmware gets in a1: every node and property, with string
 * values and the first cells of others. rng-seed (random on QEMU), riscv,isa and mmu-type (the
 * hart Boardmap emulates is not QEMU's) are named but not printed. */
static void device_tree(uint32_t fdt) {
  section("device tree");
  show("a1", fdt);
  show("magic", fdt32(fdt));
  show("version", fdt32(fdt + 20));
  uint32_t at = fdt + fdt32(fdt + 8);
  uint32_t strings = fdt + fdt32(fdt + 12);
  int depth = 0;
  for (int guard = 0; guard < 2000; guard++) {
    uint32_t token = fdt32(at);
    at += 4;
    if (token == 1) {
      for (int i = 0; i < depth; i++) print_str("  ");
      const char *name = (const char *)at;
      print_str(*name ? name : "/");
      print_nl();
      uint32_t len = 0;
      while (rd8(at + len)) len++;
      at += (len + 4) & ~3u;
      depth++;
    } else if (token == 2) {
      depth--;
    } else if (token == 3) {
      uint32_t len = fdt32(at), nameoff = fdt32(at + 4);
      uint32_t value = at + 8;
      const char *name = (const char *)(strings + nameoff);
      for (int i = 0; i < depth; i++) print_str("  ");
      print_str(name);
      print_str(" [");
      print_udec(len);
      print_str("]");
      if (!same(name, "rng-seed") && !same(name, "riscv,isa") && !same(name, "mmu-type") && len > 0) {
        int text = rd8(value + len - 1) == 0;
        for (uint32_t i = 0; i + 1 < len && text; i++) {
          uint8_t c = rd8(value + i);
          if (c != 0 && (c < 0x20 || c > 0x7e)) text = 0;
        }
        if (text && (len % 4 != 0 || rd8(value) != 0)) {
          print_str(" \"");
          for (uint32_t i = 0; i + 1 < len; i++) console_putc(rd8(value + i) ? (char)rd8(value + i) : ',');
          print_str("\"");
        } else {
          for (uint32_t i = 0; i < len / 4 && i < 6; i++) {
            print_str(" ");
            print_hex(fdt32(value + 4 * i));
          }
        }
      }
      print_nl();
      at += (8 + len + 3) & ~3u;
    } else if (token == 4) {
      continue;
    } else {
      show("end token", token);
      break;
    }
  }
}

int main(uint32_t hartid, uint32_t fdt) {
  (void)hartid;
  uint32_t mip;
  __asm__ volatile("csrr %0, mip" : "=r"(mip));
  fill_buf();
  reset_state(mip);
  misaligned_loads();
  misaligned_stores();
  amos();
  virtio();
  fw_cfg();
  fw_cfg_dma();
  pcie();
  rtc();
  rtc_alarm();
  device_tree(fdt);
  section("end");
  return 0;
}
