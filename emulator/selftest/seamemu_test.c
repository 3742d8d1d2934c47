// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the patched Bochs CPU (emulator/patches/): SEAMCALL to the
 * emulated P-SEAMLDR, what SEAMRET does to VMCSs under each reading, and
 * the CPU's own record of active VMCSs, read back through the emulator's
 * test-only MSRs.  Nothing here trusts what it did itself: every state it
 * checks is read from the CPU (VMPTRST, the debug MSR pair, the counters).
 *
 * It does VMXON itself (kvm-intel is never loaded) and runs each step on
 * one CPU with interrupts off, between VMXON and VMXOFF, so that nothing
 * else touches CR4 or VMX state meanwhile.  Results are TAP lines in the
 * kernel log, prefixed "seamemu-test: "; the boot's /init copies them to
 * the console.
 *
 * lie=1 is the negative control: the module sets SEAMRET reading "none"
 * whatever it then expects, as a CPU that ignored the setting would.
 */
#define pr_fmt(fmt) "seamemu-test: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/asm.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

static bool lie;
module_param(lie, bool, 0444);
MODULE_PARM_DESC(lie, "negative control: always set reading none");

/* The emulator's test-only MSRs (emulator/README.md). */
#define SEAMEMU_MSR_ID			0x53450000
#define SEAMEMU_MSR_SEAMRET		0x53450001
#define SEAMEMU_MSR_UPDATES		0x53450002
#define SEAMEMU_MSR_SEAMRET_BOOT	0x53450003
#define SEAMEMU_MSR_MARK		0x53450004
#define SEAMEMU_MSR_VMPTRLD		0x53450010
#define SEAMEMU_MSR_I3			0x53450019
#define SEAMEMU_MSR_ACTIVE		0x5345001a
#define SEAMEMU_MSR_DBG_VMCS		0x53450020
#define SEAMEMU_MSR_DBG_STATE		0x53450021
#define SEAMEMU_MAGIC			0x5345414d454d5501ULL
#define DBG_NOT_ACTIVE			0xffffffffULL
#define DBG_LAUNCHED			BIT_ULL(32)

/* Counters 0x53450010.., in this order. */
enum { C_VMPTRLD, C_VMCLEAR, C_VMLAUNCH, C_VMRESUME, C_VMENTRY, C_SEAMCALL,
	C_SEAMRET_CURRENT, C_SEAMRET_ACTIVE, C_SEAMRET_CLEARED, C_I3, C_ACTIVE,
	C_FOUND_CURRENT, C_FOUND_ACTIVE, NR_COUNTERS };

#define P_SEAMLDR_INFO		0x8000000000000000ULL
#define P_SEAMLDR_INSTALL	0x8000000000000001ULL
#define PSEAMLDR_EBADPARAM	0x8000000000000000ULL
#define PSEAMLDR_EUNSPECERR	0x8000000000010003ULL
#define VMCS_LINK_POINTER	0x2800
#define INVALID_VMCS		(~0ULL)
#define X86_EFLAGS_STATUS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
				 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

enum { NONE, POINTER, CURRENT, ALL, NR_READINGS };
static const char * const reading_name[] = { "none", "pointer", "current", "all" };

static int tap_n, tap_failed;

static void check(bool ok, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	tap_n++;
	if (!ok)
		tap_failed++;
	pr_notice("%sok %d - %pV\n", ok ? "" : "not ", tap_n, &vaf);
	va_end(args);
}

/* ---- the instructions ---- */

static bool vmx_op(const char *name, u64 pa)
{
	bool fail;

	if (!strcmp(name, "vmxon"))
		asm volatile("vmxon %[pa]; setbe %[f]"
			     : [f] "=qm" (fail) : [pa] "m" (pa) : "cc", "memory");
	else if (!strcmp(name, "vmclear"))
		asm volatile("vmclear %[pa]; setbe %[f]"
			     : [f] "=qm" (fail) : [pa] "m" (pa) : "cc", "memory");
	else
		asm volatile("vmptrld %[pa]; setbe %[f]"
			     : [f] "=qm" (fail) : [pa] "m" (pa) : "cc", "memory");
	return !fail;
}

static bool do_vmwrite(u64 field, u64 val)
{
	bool fail;

	asm volatile("vmwrite %[v], %[fld]; setbe %[f]"
		     : [f] "=qm" (fail) : [v] "rm" (val), [fld] "r" (field)
		     : "cc", "memory");
	return !fail;
}

static u64 do_vmptrst(void)
{
	u64 pa;

	asm volatile("vmptrst %[pa]" : [pa] "=m" (pa) : : "cc", "memory");
	return pa;
}

static void vmxoff(void)
{
	asm volatile("vmxoff" : : : "cc", "memory");
}

struct seam_out {
	u64 rax;
	unsigned long flags;
};

/* SEAMCALL is 66 0F 01 CF; binutils of Debian 12 predates the mnemonic. */
static struct seam_out seamcall(u64 fn, u64 rcx)
{
	struct seam_out o;

	asm volatile(".byte 0x66, 0x0f, 0x01, 0xcf\n\t"
		     "pushf\n\t"
		     "pop %[fl]"
		     : "+a" (fn), "+c" (rcx), [fl] "=r" (o.flags)
		     : : "rdx", "r8", "r9", "r10", "r11", "cc", "memory");
	o.rax = fn;
	return o;
}

/* SEAMCALL outside VMX operation: true if it raised an exception (#UD). */
static bool seamcall_faults(void)
{
	u64 fn = P_SEAMLDR_INFO, rcx = 0;
	int faulted = 1;

	asm volatile("1: .byte 0x66, 0x0f, 0x01, 0xcf\n\t"
		     "movl $0, %[f]\n"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [f] "+r" (faulted), "+a" (fn), "+c" (rcx)
		     : : "rdx", "r8", "r9", "r10", "r11", "cc", "memory");
	return faulted;
}

static u64 rdmsr_or(u32 msr, u64 dflt)
{
	u64 v;

	return rdmsrq_safe(msr, &v) ? dflt : v;
}

/* ---- memory the CPU is given ---- */

struct vmcs_page {
	void *va;
	u64 pa;
};

static struct vmcs_page vmxon_region[NR_CPUS];
static struct vmcs_page v1, v2, shadow, x, params, sig, mod;
static u8 *info;		/* 256 bytes, 256-byte aligned */
static u32 vmcs_revision;

static int alloc_page_pa(struct vmcs_page *p)
{
	p->va = (void *)get_zeroed_page(GFP_KERNEL);
	p->pa = p->va ? virt_to_phys(p->va) : 0;
	return p->va ? 0 : -ENOMEM;
}

static void free_page_pa(struct vmcs_page *p)
{
	free_page((unsigned long)p->va);
	p->va = NULL;
}

static void init_vmcs(struct vmcs_page *p)
{
	memset(p->va, 0, PAGE_SIZE);
	*(u32 *)p->va = vmcs_revision;
}

/* ---- one CPU's VMX operation ---- */

/*
 * CR4 is written directly, not through the kernel's shadow: VMXE is set
 * and cleared again with interrupts off, so nothing reads the shadow in
 * between.  (write_cr4_raw() is exported for LKDTM only.)
 */
static void write_cr4_raw(unsigned long val)
{
	asm volatile("mov %0, %%cr4" : : "r" (val) : "memory");
}

struct cpu_ctx {
	unsigned long cr4;
	bool vmxon;
};

static bool vmx_enter(struct cpu_ctx *c)
{
	int cpu = smp_processor_id();

	c->cr4 = native_read_cr4();
	write_cr4_raw(c->cr4 | X86_CR4_VMXE);
	init_vmcs(&vmxon_region[cpu]);
	c->vmxon = vmx_op("vmxon", vmxon_region[cpu].pa);
	if (!c->vmxon)
		write_cr4_raw(c->cr4);
	return c->vmxon;
}

static void vmx_leave(struct cpu_ctx *c)
{
	if (c->vmxon)
		vmxoff();
	write_cr4_raw(c->cr4);
}

static void read_counters(u64 *v)
{
	int i;

	for (i = 0; i < NR_COUNTERS; i++)
		v[i] = rdmsr_or(SEAMEMU_MSR_VMPTRLD + i, ~0ULL);
}

static u64 dbg_state(u64 pa)
{
	if (wrmsrq_safe(SEAMEMU_MSR_DBG_VMCS, pa))
		return ~0ULL;
	return rdmsr_or(SEAMEMU_MSR_DBG_STATE, ~0ULL);
}

static bool dbg_set(u64 pa, u64 state)
{
	return !wrmsrq_safe(SEAMEMU_MSR_DBG_VMCS, pa) &&
	       !wrmsrq_safe(SEAMEMU_MSR_DBG_STATE, state);
}

/* ---- SEAMRET under one reading ---- */

struct seamret_run {
	int reading;
	bool vmx_ok, setup_ok;
	struct seam_out out;
	u64 ptr_after;
	u64 st_v1, st_v2, st_s;
	u64 before[NR_COUNTERS], after[NR_COUNTERS], end[NR_COUNTERS];
	bool mark_ok;
	struct seam_out second;
	u64 active_before, info_updates, updates_msr;
	u32 info_vendor;
	u16 info_major;
	bool clean_ok;
	u64 active_end;
};

static void seamret_on_cpu(void *arg)
{
	struct seamret_run *r = arg;
	u64 me = smp_processor_id();
	struct cpu_ctx c;

	read_counters(r->before);
	r->vmx_ok = vmx_enter(&c);
	if (!r->vmx_ok)
		return;

	init_vmcs(&v1);
	init_vmcs(&v2);
	init_vmcs(&shadow);
	/* V1 and V2 active, V2 current and linking to S, S active too */
	r->setup_ok = vmx_op("vmclear", v1.pa) && vmx_op("vmclear", v2.pa) &&
		      vmx_op("vmclear", shadow.pa) &&
		      vmx_op("vmptrld", shadow.pa) &&
		      vmx_op("vmptrld", v1.pa) &&
		      do_vmwrite(VMCS_LINK_POINTER, INVALID_VMCS) &&
		      vmx_op("vmptrld", v2.pa) &&
		      do_vmwrite(VMCS_LINK_POINTER, shadow.pa) &&
		      dbg_set(v1.pa, DBG_LAUNCHED | me) &&
		      dbg_set(v2.pa, DBG_LAUNCHED | me) &&
		      dbg_set(shadow.pa, DBG_LAUNCHED | me);
	r->active_before = rdmsr_or(SEAMEMU_MSR_ACTIVE, ~0ULL);

	/* What this SEAMRET finds, as the mark records it */
	r->mark_ok = !wrmsrq_safe(SEAMEMU_MSR_MARK, 0);
	memset(info, 0xa5, 256);
	r->out = seamcall(P_SEAMLDR_INFO, virt_to_phys(info));
	r->ptr_after = do_vmptrst();
	r->st_v1 = dbg_state(v1.pa);
	r->st_v2 = dbg_state(v2.pa);
	r->st_s = dbg_state(shadow.pa);
	read_counters(r->after);
	r->info_vendor = *(u32 *)(info + 8);
	r->info_major = *(u16 *)(info + 20);
	r->info_updates = *(u32 *)(info + 28);
	r->updates_msr = rdmsr_or(SEAMEMU_MSR_UPDATES, ~0ULL);

	r->clean_ok = vmx_op("vmclear", v1.pa) && vmx_op("vmclear", v2.pa) &&
		      vmx_op("vmclear", shadow.pa);
	/* A SEAMRET with no mark before it counts nothing as found */
	r->second = seamcall(P_SEAMLDR_INFO, virt_to_phys(info));
	read_counters(r->end);
	r->active_end = rdmsr_or(SEAMEMU_MSR_ACTIVE, ~0ULL);
	vmx_leave(&c);
}

static u64 expect_state(bool kept, u64 cpu)
{
	return kept ? (DBG_LAUNCHED | cpu) : DBG_NOT_ACTIVE;
}

static void test_seamret(int cpu, int reading)
{
	struct seamret_run r = { .reading = reading };
	const char *rn = reading_name[reading];
	bool keep_cur = reading == NONE || reading == POINTER;
	bool keep_v1 = reading != ALL;
	u64 cleared = reading == CURRENT ? 2 : reading == ALL ? 3 : 0;
	u64 active_after = 3 - cleared;
	u64 *b = r.before, *a = r.after;

	if (wrmsrq_safe(SEAMEMU_MSR_SEAMRET, lie ? NONE : reading))
		check(false, "cpu%d %s: set the reading", cpu, rn);

	smp_call_function_single(cpu, seamret_on_cpu, &r, 1);

	check(r.vmx_ok && r.setup_ok && r.active_before == 3,
	      "cpu%d %s: VMXON, V1 V2 S active, V2 current (active=%llu)",
	      cpu, rn, r.active_before);
	check(r.out.rax == 0 && !(r.out.flags & X86_EFLAGS_STATUS),
	      "cpu%d %s: SEAMLDR_INFO succeeds (rax=%#llx flags=%#lx)",
	      cpu, rn, r.out.rax, r.out.flags);
	check(r.info_vendor == 0x8086 && r.info_major == 2 &&
	      r.info_updates == r.updates_msr,
	      "cpu%d %s: seamldr_info vendor_id=%#x major=%u num_remaining_updates=%llu",
	      cpu, rn, r.info_vendor, r.info_major, r.info_updates);
	check(r.ptr_after == (reading == NONE ? v2.pa : INVALID_VMCS),
	      "cpu%d %s: VMPTRST after SEAMRET is %#llx", cpu, rn, r.ptr_after);
	check(r.st_v1 == expect_state(keep_v1, cpu),
	      "cpu%d %s: V1 state %#llx", cpu, rn, r.st_v1);
	check(r.st_v2 == expect_state(keep_cur, cpu),
	      "cpu%d %s: V2 (current) state %#llx", cpu, rn, r.st_v2);
	check(r.st_s == expect_state(keep_cur, cpu),
	      "cpu%d %s: S (V2's link) state %#llx", cpu, rn, r.st_s);
	check(a[C_SEAMCALL] - b[C_SEAMCALL] == 1 &&
	      a[C_SEAMRET_CURRENT] - b[C_SEAMRET_CURRENT] == 1 &&
	      a[C_SEAMRET_ACTIVE] - b[C_SEAMRET_ACTIVE] == 3 &&
	      a[C_SEAMRET_CLEARED] - b[C_SEAMRET_CLEARED] == cleared,
	      "cpu%d %s: counters seamcall+%llu seamret_current+%llu seamret_active+%llu seamret_cleared+%llu (want 1 1 3 %llu)",
	      cpu, rn, a[C_SEAMCALL] - b[C_SEAMCALL],
	      a[C_SEAMRET_CURRENT] - b[C_SEAMRET_CURRENT],
	      a[C_SEAMRET_ACTIVE] - b[C_SEAMRET_ACTIVE],
	      a[C_SEAMRET_CLEARED] - b[C_SEAMRET_CLEARED], cleared);
	check(a[C_VMPTRLD] - b[C_VMPTRLD] == 3 && a[C_VMCLEAR] - b[C_VMCLEAR] == 3 &&
	      a[C_I3] == b[C_I3] && a[C_ACTIVE] == active_after,
	      "cpu%d %s: vmptrld+%llu vmclear+%llu i3+%llu active=%llu (want 3 3 0 %llu)",
	      cpu, rn, a[C_VMPTRLD] - b[C_VMPTRLD], a[C_VMCLEAR] - b[C_VMCLEAR],
	      a[C_I3] - b[C_I3], a[C_ACTIVE], active_after);
	check(r.mark_ok && a[C_FOUND_CURRENT] - b[C_FOUND_CURRENT] == 1 &&
	      a[C_FOUND_ACTIVE] - b[C_FOUND_ACTIVE] == 3,
	      "cpu%d %s: mark, then SEAMRET: found_current+%llu found_active+%llu (want 1 3)",
	      cpu, rn, a[C_FOUND_CURRENT] - b[C_FOUND_CURRENT],
	      a[C_FOUND_ACTIVE] - b[C_FOUND_ACTIVE]);
	check(r.clean_ok && r.active_end == 0,
	      "cpu%d %s: VMCLEAR all, none active after (active=%llu)",
	      cpu, rn, r.active_end);
	check(r.second.rax == 0 && r.end[C_FOUND_CURRENT] == a[C_FOUND_CURRENT] &&
	      r.end[C_FOUND_ACTIVE] == a[C_FOUND_ACTIVE] &&
	      r.end[C_SEAMRET_ACTIVE] == a[C_SEAMRET_ACTIVE],
	      "cpu%d %s: after VMCLEARs, an unmarked SEAMRET finds nothing", cpu, rn);
}

/* ---- the other leaves, on one CPU ---- */

struct leaves_run {
	bool vmx_ok;
	u64 left0;
	struct seam_out good, bad_version, bad_pages, no_slot, misaligned, unknown, tdx;
	u64 left_good, left_bad, left_no_slot;
	u64 ptr;
};

static void fill_params(u32 version, u64 nr_pages)
{
	u64 *p = params.va;

	memset(params.va, 0, PAGE_SIZE);
	((u32 *)params.va)[0] = version;
	((u32 *)params.va)[1] = 1;		/* scenario: update */
	p[1] = sig.pa;				/* sigstruct_pages_pa_list[0] */
	p[15] = nr_pages;			/* module_nr_pages */
	p[16] = mod.pa;				/* module_pages_pa_list[0] */
}

static void leaves_on_cpu(void *arg)
{
	struct leaves_run *l = arg;
	struct cpu_ctx c;

	l->vmx_ok = vmx_enter(&c);
	if (!l->vmx_ok)
		return;
	l->left0 = rdmsr_or(SEAMEMU_MSR_UPDATES, ~0ULL);

	fill_params(0, 1);
	l->good = seamcall(P_SEAMLDR_INSTALL, params.pa);
	l->left_good = rdmsr_or(SEAMEMU_MSR_UPDATES, ~0ULL);

	fill_params(1, 1);
	l->bad_version = seamcall(P_SEAMLDR_INSTALL, params.pa);
	fill_params(0, 0);
	l->bad_pages = seamcall(P_SEAMLDR_INSTALL, params.pa);
	l->left_bad = rdmsr_or(SEAMEMU_MSR_UPDATES, ~0ULL);

	/* no slot left: refused, and the count stays at 0 */
	wrmsrq_safe(SEAMEMU_MSR_UPDATES, 0);
	fill_params(0, 1);
	l->no_slot = seamcall(P_SEAMLDR_INSTALL, params.pa);
	l->left_no_slot = rdmsr_or(SEAMEMU_MSR_UPDATES, ~0ULL);
	wrmsrq_safe(SEAMEMU_MSR_UPDATES, l->left_good);

	l->misaligned = seamcall(P_SEAMLDR_INFO, virt_to_phys(info) + 64);
	l->unknown = seamcall(P_SEAMLDR_INSTALL + 4, 0);
	l->tdx = seamcall(0, 0);	/* a TDX module leaf: none is loaded */
	l->ptr = do_vmptrst();
	vmx_leave(&c);
}

static void test_leaves(int cpu)
{
	struct leaves_run l = {};

	smp_call_function_single(cpu, leaves_on_cpu, &l, 1);
	check(l.vmx_ok, "cpu%d: VMXON", cpu);
	check(l.good.rax == 0 && !(l.good.flags & X86_EFLAGS_STATUS) &&
	      l.left_good == l.left0 - 1,
	      "SEAMLDR_INSTALL with good params succeeds and uses a slot (rax=%#llx, %llu -> %llu)",
	      l.good.rax, l.left0, l.left_good);
	check(l.bad_version.rax == PSEAMLDR_EBADPARAM &&
	      l.bad_pages.rax == PSEAMLDR_EBADPARAM && l.left_bad == l.left_good,
	      "SEAMLDR_INSTALL with version 1 or 0 module pages: EBADPARAM, no slot used (%#llx %#llx, %llu left)",
	      l.bad_version.rax, l.bad_pages.rax, l.left_bad);
	check(l.no_slot.rax == PSEAMLDR_EUNSPECERR && l.left_no_slot == 0,
	      "SEAMLDR_INSTALL with no slot left is refused (rax=%#llx, %llu left)",
	      l.no_slot.rax, l.left_no_slot);
	check(l.misaligned.rax == PSEAMLDR_EBADPARAM,
	      "SEAMLDR_INFO into a buffer not 256-byte aligned: EBADPARAM (rax=%#llx)",
	      l.misaligned.rax);
	check(l.unknown.rax == PSEAMLDR_EBADPARAM,
	      "unknown P-SEAMLDR leaf: EBADPARAM (rax=%#llx)", l.unknown.rax);
	check((l.tdx.flags & X86_EFLAGS_STATUS) == X86_EFLAGS_CF && l.tdx.rax == 0,
	      "TDX module leaf 0: VMfailInvalid (flags=%#lx)", l.tdx.flags);
	check(l.ptr == INVALID_VMCS, "no VMCS current after those calls");
}

static void ud_on_cpu(void *arg)
{
	*(bool *)arg = seamcall_faults();
}

/* ---- I3: a VMCS active on CPU a is loaded on CPU b ---- */

struct i3_run {
	bool vmx_ok, op_ok;
	u64 i3_before, i3_after, state;
};

static void i3_load_on_cpu(void *arg)
{
	struct i3_run *r = arg;
	struct cpu_ctx c;

	r->vmx_ok = vmx_enter(&c);
	if (!r->vmx_ok)
		return;
	r->i3_before = rdmsr_or(SEAMEMU_MSR_I3, ~0ULL);
	/* left active on purpose: VMXOFF does not clear it */
	r->op_ok = vmx_op("vmclear", x.pa) && vmx_op("vmptrld", x.pa);
	r->i3_after = rdmsr_or(SEAMEMU_MSR_I3, ~0ULL);
	r->state = dbg_state(x.pa);
	vmx_leave(&c);
}

static void i3_steal_on_cpu(void *arg)
{
	struct i3_run *r = arg;
	struct cpu_ctx c;

	r->vmx_ok = vmx_enter(&c);
	if (!r->vmx_ok)
		return;
	r->i3_before = rdmsr_or(SEAMEMU_MSR_I3, ~0ULL);
	r->op_ok = vmx_op("vmptrld", x.pa);
	r->i3_after = rdmsr_or(SEAMEMU_MSR_I3, ~0ULL);
	r->state = dbg_state(x.pa);
	r->op_ok = r->op_ok && vmx_op("vmclear", x.pa);
	vmx_leave(&c);
}

static void read_i3(void *arg)
{
	*(u64 *)arg = rdmsr_or(SEAMEMU_MSR_I3, ~0ULL);
}

static void test_i3(int a, int b)
{
	struct i3_run ra = {}, rb = {};
	u64 i3_a;

	init_vmcs(&x);
	smp_call_function_single(a, i3_load_on_cpu, &ra, 1);
	check(ra.vmx_ok && ra.op_ok && ra.i3_after == ra.i3_before &&
	      ra.state == (u64)a,
	      "I3: VMPTRLD of X on cpu%d, left active there (state %#llx)", a, ra.state);
	smp_call_function_single(b, i3_steal_on_cpu, &rb, 1);
	smp_call_function_single(a, read_i3, &i3_a, 1);
	check(rb.vmx_ok && rb.op_ok && rb.i3_after == rb.i3_before + 1 &&
	      rb.state == (u64)b && i3_a == ra.i3_after,
	      "I3: VMPTRLD of X on cpu%d counts one violation there, none on cpu%d (state %#llx, i3 %llu -> %llu)",
	      b, a, rb.state, rb.i3_before, rb.i3_after);
	check(dbg_state(x.pa) == DBG_NOT_ACTIVE,
	      "I3: X inactive after VMCLEAR on cpu%d", b);
}

/* ---- module ---- */

static struct vmcs_page *all_pages[] = { &v1, &v2, &shadow, &x, &params, &sig, &mod };

static void free_all(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(all_pages); i++)
		free_page_pa(all_pages[i]);
	for_each_possible_cpu(i)
		free_page_pa(&vmxon_region[i]);
	kfree(info);
}

static int __init seamemu_test_init(void)
{
	u64 id, basic, boot, bit60;
	int cpu, reading, i, a = -1, b = -1;
	bool ud;

	id = rdmsr_or(SEAMEMU_MSR_ID, 0);
	pr_notice("TAP version 13\n");
	check(id == SEAMEMU_MAGIC, "the CPU is the seamemu emulator (ID MSR %#llx)", id);
	if (id != SEAMEMU_MAGIC)
		goto out;

	basic = rdmsr_or(MSR_IA32_VMX_BASIC, 0);
	boot = rdmsr_or(SEAMEMU_MSR_SEAMRET_BOOT, ~0ULL);
	bit60 = (basic >> 60) & 1;
	check(boot < NR_READINGS && bit60 == (boot == NONE),
	      "VMX_BASIC bit 60 is %llu under boot reading %s", bit60,
	      boot < NR_READINGS ? reading_name[boot] : "?");
	check(wrmsrq_safe(SEAMEMU_MSR_ID, 0) && wrmsrq_safe(SEAMEMU_MSR_I3, 0) &&
	      wrmsrq_safe(SEAMEMU_MSR_SEAMRET, 4) && rdmsrq_safe(0x534500ff, &id),
	      "WRMSR to read-only ones, a bad reading, an unused MSR: #GP");

	vmcs_revision = basic & 0x7fffffff;
	info = kmalloc(256, GFP_KERNEL);	/* kmalloc(256) is 256-byte aligned */
	for (i = 0; i < ARRAY_SIZE(all_pages); i++)
		if (alloc_page_pa(all_pages[i]))
			goto nomem;
	for_each_online_cpu(cpu)
		if (alloc_page_pa(&vmxon_region[cpu]))
			goto nomem;
	if (!info || !IS_ALIGNED(virt_to_phys(info), 256))
		goto nomem;

	cpus_read_lock();
	smp_call_function_single(cpumask_first(cpu_online_mask), ud_on_cpu, &ud, 1);
	check(ud, "SEAMCALL outside VMX operation: #UD");

	for (reading = 0; reading < NR_READINGS; reading++)
		for_each_online_cpu(cpu)
			test_seamret(cpu, reading);

	test_leaves(cpumask_first(cpu_online_mask));

	for_each_online_cpu(cpu) {
		if (a < 0)
			a = cpu;
		else if (b < 0)
			b = cpu;
	}
	if (b >= 0)
		test_i3(a, b);
	else
		pr_notice("ok %d - I3 # SKIP one CPU online\n", ++tap_n);
	cpus_read_unlock();

	wrmsrq_safe(SEAMEMU_MSR_SEAMRET, boot);
	goto out;
nomem:
	check(false, "allocate the VMCS pages");
out:
	free_all();
	pr_notice("1..%d\n", tap_n);
	pr_notice("%d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return 0;
}

static void __exit seamemu_test_exit(void)
{
}

module_init(seamemu_test_init);
module_exit(seamemu_test_exit);
MODULE_DESCRIPTION("Self-test of the seamemu Bochs CPU: SEAMCALL, SEAMRET readings, active VMCSs");
MODULE_LICENSE("GPL");
