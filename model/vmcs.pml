/*
 * vmcs.pml - VMX hardware VMCS state vs. KVM's VMCS tracking around the
 * P-SEAMLDR SEAMCALLs of a TDX module update (series v4), whose SEAMRET
 * may change VMCS state behind KVM's back, and around CPU offline.
 *
 * One source, configured with spin -D (see README.md):
 *   DESIGN 0  no handling (7.3 seamldr_call() without the erratum gate)
 *          1  VMPTRST / SEAMCALL / VMPTRLD save-restore, IRQs off (v2),
 *             around each P-SEAMLDR call
 *          2  this_cpu_write(current_vmcs, NULL) after each P-SEAMLDR call
 *          3  KVM's VMCLEAR callback in CPU_PREPARE (v4's TDX side) on 7.3's
 *             KVM: 7.3 __loaded_vmcs_clear() store order, and the offline
 *             list walk with IRQs on
 *          4  the series (v4): the callback in CPU_PREPARE,
 *             __loaded_vmcs_clear() storing cpu = -1 last, and the list walk
 *             with IRQs off in every path
 *          5  scratch VMCS around each P-SEAMLDR call: VMPTRST, VMPTRLD a
 *             per-CPU TDX-owned VMCS, SEAMCALL, VMPTRLD the saved one back,
 *             IRQs off (7.3's KVM)
 *   READING   what SEAMRET from P-SEAMLDR does to the calling CPU:
 *          RD_none     nothing (a fixed part)
 *          RD_pointer  H0: the current-VMCS pointer becomes invalid; the VMCS
 *                      stays active and keeps its launch state
 *          RD_current  H1 (pseudocode, version 002): the current VMCS and the
 *                      VMCS it links to (vmcs01's shadow VMCS) are flushed,
 *                      set clear and made inactive; pointer invalid
 *          RD_all      H2: every VMCS active on the CPU ends up clear and
 *                      inactive; pointer invalid
 *   CTX    CTX_update   the update: one stop_machine(), IRQs off on every CPU
 *                       throughout: CPU_PREPARE on each CPU (may refuse),
 *                       SHUTDOWN, CPU_INSTALL (P_SEAMLDR_INSTALL) on each CPU,
 *                       re-init and, on success, the SEAMLDR_INFO refresh on
 *                       the lead CPU; vCPUs load, run and migrate before and
 *                       after it
 *          CTX_unload   the update racing VM teardown (preemptible) and
 *                       rmmod + modprobe kvm_intel
 *          CTX_offline  kvm_offline_cpu() of CPU1 racing vCPUs that load,
 *                       run and migrate, and then VM teardown; no P-SEAMLDR
 *                       call (KVM's own path: only DESIGN 3 and 4 differ)
 *   Mutants of DESIGN 4 (README.md, expected.txt): MUTANT_NOCB (M1),
 *   MUTANT_OLDORDER (M2), MUTANT_NOSYNC (M3), MUTANT_EARLYCPU (M4),
 *   MUTANT_NOIPI (M5), MUTANT_HARDIRQ (M6), MUTANT_CURONLY (M7),
 *   MUTANT_IRQWALK (M8), MUTANT_SHADOWTEST (M9), MUTANT_V3ORDER (M10),
 *   MUTANT_LEADONLY (M11), MUTANT_NOSYNC + MUTANT_OUTSIDE (M12),
 *   MUTANT_GOON (M13).
 *
 * Memory model: sequential consistency, smp_wmb()/smp_rmb() are program
 * order.  Each atomic{} is one step; a step is what the other CPUs can
 * interleave with.  Loads and stores of loaded_vmcs->cpu/launched and of
 * the per-CPU lists that race across CPUs are separate steps, in the
 * order the code has them.
 */

#define RD_none		0
#define RD_pointer	1
#define RD_current	2
#define RD_all		3
#define CTX_update	1
#define CTX_unload	2
#define CTX_offline	3

#ifndef DESIGN
#define DESIGN 4
#endif
#ifndef READING
#define READING RD_current
#endif
#ifndef CTX
#define CTX CTX_update
#endif
#ifndef BUDGET0			/* sched-ins of vCPU thread 0 (nested) */
#if CTX == CTX_unload
#define BUDGET0 1
#else
#define BUDGET0 2
#endif
#endif
#ifndef BUDGET1			/* ... of vCPU thread 1 */
#define BUDGET1 1
#endif
#ifndef BUDGET2			/* ... of vCPU thread 2 */
#define BUDGET2 1
#endif

/* The KVM under test: the series' (D4) or 7.3's (every other design) */
#if DESIGN == 4 && !defined(MUTANT_OLDORDER)
#define SERIES_ORDER 1		/* list_del; launched = 0; smp_wmb(); cpu = -1 */
#else
#define SERIES_ORDER 0		/* list_del; smp_wmb(); cpu = -1; launched = 0 */
#endif
#if DESIGN == 4 && !defined(MUTANT_IRQWALK)
#define IRQOFF_WALK 1		/* IRQs off around the list walk, every path */
#else
#define IRQOFF_WALK 0
#endif
/* The TDX side of D3 and D4 (v4): the VMCLEAR callback invoked in
 * CPU_PREPARE; registered only if KVM provides it. */
#if DESIGN == 3 || DESIGN == 4
#define HAS_INVOKE 1
#else
#define HAS_INVOKE 0
#endif
#if HAS_INVOKE && !defined(MUTANT_NOCB)
#define HAS_CB 1
#else
#define HAS_CB 0
#endif
/* I4 at the P-SEAMLDR SEAMCALL is the callback designs' precondition;
 * the current-only flush mutant turns it off to show what each reading
 * does. */
#if HAS_INVOKE && !defined(MUTANT_CURONLY)
#define CHECK_I4 1
#else
#define CHECK_I4 0
#endif

#define NCPU	2
#define NVCPU	3		/* vCPU0 is nested: vmcs01 = 0, vmcs02 = 1 */
#define NVMCS	4		/* KVM's loaded_vmcs: vCPU1 -> vmcs2, vCPU2 -> vmcs3 */
#define SHADOW	4		/* vmcs01.shadow_vmcs: hardware only, no loaded_vmcs */
#define SCRATCH(c) (5 + c)	/* DESIGN 5: the TDX core's per-CPU scratch VMCS */
#if DESIGN == 5
#define NHW	7
#else
#define NHW	5
#endif
#define NESTED	0
#define NONE	255		/* cpu == -1; VMCS pointer FFFFFFFF_FFFFFFFFH */
#define LDR	9		/* task id of the stopper (the update) */
#define TEARDOWN 10		/* task id of the VM teardown thread */
#define HOTPLUG	11		/* task id of CPU1's hotplug thread */
#define OFFCPU	1		/* the CPU that goes offline (CTX_offline) */
#define LEAD	0		/* the update's lead CPU (CPUs are symmetric) */
#define VMCS01(i) (i == 0 -> 0 : i + 1)

/* Check names: never set, so a failed assert(Ix || cond) names its check. */
bit I1, I2, I3, I4, I7, I8, LIST, UAF;
/* M5 skips the migration IPI; its list_add() of a VMCS still on the old
 * CPU's list would break LIST one step before vmcs_load() breaks I3, so
 * M5 runs without the LIST check, to show I3. */
#ifdef MUTANT_NOIPI
#define LISTCHK(cond) skip
#else
#define LISTCHK(cond) assert(LIST || (cond))
#endif

/* ---- hardware, per CPU and per VMCS ---- */
byte hw_cur[NCPU] = NONE;	/* current-VMCS pointer */
byte hw_active[NHW] = NONE;	/* CPU it is active on (cached), or NONE */
bit  hw_launched[NHW];		/* launch state: 0 clear, 1 launched */

/* ---- KVM, arch/x86/kvm/vmx/vmx.c and nested.c ---- */
byte kvm_cur[NCPU] = NONE;	/* per_cpu(current_vmcs) */
byte lv_cpu[NVMCS] = NONE;	/* loaded_vmcs->cpu */
bit  lv_launched[NVMCS];	/* loaded_vmcs->launched */
byte lv_list[NVMCS] = NONE;	/* on which per_cpu(loaded_vmcss_on_cpu) */
bit  lv_freed[NVMCS];		/* free_loaded_vmcs() done */
byte vcpu_lv[NVCPU];		/* vmx->loaded_vmcs */
bit  nested_on = 1;		/* vCPU0's L1 is post-VMXON: vmcs02 and
				 * vmcs01.shadow_vmcs allocated, shadowing on */
bit  vmxoff_done;		/* bound: one L1 VMXOFF (+ VMXON) per run */

/* ---- kernel ---- */
byte running[NCPU] = NONE;	/* task on the CPU: vCPU thread, LDR, ... or NONE */
bit  irqoff[NCPU];
byte ipi[NCPU] = NONE;		/* pending __loaded_vmcs_clear(vmcs) IPI */
bit  kvm_cb = HAS_CB;		/* RCU pointer to KVM's callback */
bit  kvm_text = 1;		/* kvm-intel.ko text is present */
byte rcu_readers;		/* CPUs inside an IRQs-off RCU read side */
byte nvcpu_alive = NVCPU;

/* ---- the update's state machine (reset when the stop ends) ---- */
bit  refused;			/* a CPU_PREPARE refused (-EINVAL) */
bit  shutdown;			/* SHUTDOWN ran: the old TDX module is gone */

/* ================= hardware instructions ================= */

inline VMPTRLD(c, v) {
	assert(I3 || hw_active[v] == NONE || hw_active[v] == c);
	hw_active[v] = c;
	hw_cur[c] = v
}

inline VMCLEAR(c, v) {
	assert(I3 || hw_active[v] == NONE || hw_active[v] == c);
	if
	:: hw_cur[c] == v -> hw_cur[c] = NONE
	:: else
	fi;
	hw_active[v] = NONE;
	hw_launched[v] = 0
}

/* VMREAD/VMWRITE on behalf of KVM's vmcs v: VMfailInvalid without a
 * current VMCS, and it must be the one KVM believes is current. */
inline VMACCESS(c, v) {
	assert(I1 || (hw_cur[c] != NONE && hw_cur[c] == kvm_cur[c] && kvm_cur[c] == v))
}

/* VMLAUNCH (resume == 0) needs "clear", VMRESUME (resume == 1) "launched".
 * With VMCS shadowing on (vmcs01 links to the shadow VMCS), L1's
 * VMREAD/VMWRITE in non-root mode make the shadow VMCS active here. */
inline VMENTER(c, v, resume) {
	VMACCESS(c, v);
	assert(I2 || hw_launched[v] == resume);
	hw_launched[v] = 1;
	if
	:: v == 0 && nested_on ->
		assert(I3 || hw_active[SHADOW] == NONE || hw_active[SHADOW] == c);
		hw_active[SHADOW] = c
	:: else
	fi
}

/* "EV CPUc SEAMRET clears <VMCS v>" */
#define EV_SEAMRET(c, v) \
	if \
	:: v == SHADOW -> printf("EV CPU%d SEAMRET clears the shadow VMCS of vmcs0\n", c) \
	:: v > SHADOW -> printf("EV CPU%d SEAMRET clears the scratch VMCS\n", c) \
	:: else -> printf("EV CPU%d SEAMRET clears vmcs%d\n", c, v) \
	fi

/* seamcall_prerr(): SEAMCALL(P_SEAMLDR_*) ... SEAMRET, inP_SEAMLDR == 1.
 * I8: no P-SEAMLDR call after a CPU_PREPARE refused. */
inline SEAMCALL_SEAMLDR(c) {
	assert(I8 || !refused);
#if CHECK_I4
	for (w : 0 .. SHADOW) {		/* I4: nothing of KVM's active here */
		assert(I4 || hw_active[w] != c)
	}
#endif
#if READING == RD_pointer
	if
	:: hw_cur[c] != NONE ->
		printf("EV CPU%d SEAMRET invalidates the current-VMCS pointer\n", c);
		hw_cur[c] = NONE
	:: else
	fi;
#elif READING == RD_current
	if
	:: hw_cur[c] != NONE ->
		/* "all VMCS referenced by current-VMCS": its link pointer */
		if
		:: hw_cur[c] == 0 && nested_on && hw_active[SHADOW] == c ->
			printf("EV CPU%d SEAMRET clears the shadow VMCS of vmcs0\n", c);
			hw_active[SHADOW] = NONE
		:: else
		fi;
		EV_SEAMRET(c, hw_cur[c]);
		hw_active[hw_cur[c]] = NONE;
		hw_launched[hw_cur[c]] = 0;
		hw_cur[c] = NONE
	:: else
	fi;
#elif READING == RD_all
	for (w : 0 .. NHW - 1) {
		if
		:: hw_active[w] == c ->
			EV_SEAMRET(c, w);
			hw_active[w] = NONE;
			hw_launched[w] = 0
		:: else
		fi
	}
	hw_cur[c] = NONE;
#endif
	w = 0
}

/* ================= KVM ================= */

/* __loaded_vmcs_clear(v) on CPU c, the CPU-local part; ok = it proceeds:
 *	if (loaded_vmcs->cpu != cpu) return;
 *	current_vmcs = NULL if it was this one; vmcs_clear(vmcs);
 *	if (shadow_vmcs && launched) vmcs_clear(shadow_vmcs); */
inline __loaded_vmcs_clear_head(c, v) {
	ok = (lv_cpu[v] == c);		/* else: migration raced with offline */
	if
	:: ok ->
		assert(UAF || !lv_freed[v]);
		if
		:: kvm_cur[c] == v -> kvm_cur[c] = NONE
		:: else
		fi;
		VMCLEAR(c, v);
#ifdef MUTANT_SHADOWTEST
		lv_launched[v] = 0;	/* launched = 0 before the shadow test */
#endif
		if
		:: v == 0 && nested_on && lv_launched[v] -> VMCLEAR(c, SHADOW)
		:: else
		fi
	:: else
	fi
}

/* The stores of __loaded_vmcs_clear(v) that other CPUs can observe, one
 * step each, in program order.  Each checks that v is still this CPU's:
 * on this CPU's list at list_del() (else a double list_del()), and
 * loaded_vmcs->cpu still c where it is stored before cpu = -1.
 *   7.3:      list_del(); smp_wmb(); cpu = -1; launched = 0;
 *   series:   list_del(); launched = 0; smp_wmb(); cpu = -1;
 *   M4:       launched = 0; smp_wmb(); cpu = -1; list_del();
 */
#define LIST_DEL(c, v) \
	atomic { \
		assert(UAF || !lv_freed[v]); \
		LISTCHK(lv_list[v] == c); \
		lv_list[v] = NONE \
	}
#define STORE_LAUNCHED(c, v, mine) \
	atomic { \
		assert(UAF || !lv_freed[v]); \
		LISTCHK(!mine || lv_cpu[v] == c); \
		lv_launched[v] = 0; \
		printf("EV CPU%d clears vmcs%d: launched=0\n", c, v) \
	}
#define STORE_CPU(c, v) \
	atomic { \
		assert(UAF || !lv_freed[v]); \
		LISTCHK(lv_cpu[v] == c); \
		lv_cpu[v] = NONE; \
		printf("EV CPU%d clears vmcs%d: cpu=-1\n", c, v) \
	}

inline __loaded_vmcs_clear_tail(c, v) {
#if defined(MUTANT_EARLYCPU)
	STORE_LAUNCHED(c, v, 1);
	STORE_CPU(c, v);
	LIST_DEL(c, v);
#elif SERIES_ORDER
	LIST_DEL(c, v);
	STORE_LAUNCHED(c, v, 1);
	STORE_CPU(c, v);
#else
	LIST_DEL(c, v);
	STORE_CPU(c, v);
	STORE_LAUNCHED(c, v, 0);
#endif
}

/* __loaded_vmcs_clear() as a whole (IPI handler, local call): one step */
inline __loaded_vmcs_clear(c, v) {
	__loaded_vmcs_clear_head(c, v);
	if
	:: ok -> __loaded_vmcs_clear_tail(c, v)
	:: else
	fi;
	ok = 0
}

/* r = the first entry of CPU c's list at index >= x, or NVMCS (the head).
 * The model's lists are walked in index order. */
inline next_on_list(c, x, r) {
	r = x;
	do
	:: r < NVMCS && lv_list[r] != c -> r++
	:: else -> break
	od
}

/* vmclear_local_loaded_vmcss() on CPU c:
 *	[local_irq_save(flags);]	(series)
 *	list_for_each_entry_safe(v, n, &per_cpu(loaded_vmcss_on_cpu, cpu), ...)
 *		__loaded_vmcs_clear(v);
 *	[local_irq_restore(flags);]
 * The walk fetches n = v->next before clearing v and then goes to n: n
 * must still be on this CPU's list (a removed n has next == LIST_POISON1;
 * one re-added elsewhere leads into another CPU's list).  With IRQs on,
 * a loaded_vmcs_clear() IPI can run between any two steps.  Fetching an
 * entry and the CPU-local part of its __loaded_vmcs_clear() are one step. */
inline vmclear_local_loaded_vmcss(c) {
	atomic {
#if IRQOFF_WALK
		wflags = irqoff[c]; irqoff[c] = 1;
#endif
		next_on_list(c, 0, u);			/* v = first */
		if
		:: u < NVMCS ->
			next_on_list(c, u + 1, nx);	/* n = v->next */
			__loaded_vmcs_clear_head(c, u)
		:: else
		fi
	}
	do
	:: u == NVMCS -> break
	:: else ->
		if
		:: ok -> __loaded_vmcs_clear_tail(c, u)
		:: else
		fi;
		atomic {
			ok = 0; u = nx;			/* v = n */
			if
			:: u < NVMCS ->
				LISTCHK(lv_list[u] == c);
				next_on_list(c, u + 1, nx);	/* n = v->next */
				__loaded_vmcs_clear_head(c, u)
			:: else
			fi
		}
	od;
#if IRQOFF_WALK
	irqoff[c] = wflags;
#endif
	u = 0; nx = 0; wflags = 0
}

/* MUTANT_CURONLY: a flush of only the VMCS that is current on this CPU */
inline flush_current_only(c) {
	atomic {
		u = kvm_cur[c];
		if
		:: u != NONE -> __loaded_vmcs_clear_head(c, u)
		:: else
		fi
	}
	if
	:: ok -> __loaded_vmcs_clear_tail(c, u)
	:: else
	fi;
	ok = 0; u = 0
}

/* KVM's registered callback: vmx.c's VMCLEAR callback */
inline kvm_vmclear_callback(c) {
	atomic {
		printf("EV CPU%d KVM callback: flush\n", c);
		assert(I7 || kvm_text)
	}
#ifdef MUTANT_CURONLY
	flush_current_only(c)
#else
	vmclear_local_loaded_vmcss(c)
#endif
}

/* loaded_vmcs_clear(): reads loaded_vmcs->cpu, then
 * smp_call_function_single(cpu, __loaded_vmcs_clear, v, 1).  The wait
 * for the IPI is the guard of the caller's next step (IPI_DONE). */
inline loaded_vmcs_clear(c, v) {
	atomic {
		t = lv_cpu[v];
		if
		:: t == NONE ->
			printf("EV CPU%d sees vmcs%d cpu=-1: no IPI\n", c, v)
		:: t == c ->		/* local call, IRQs off */
			__loaded_vmcs_clear(c, v)
		:: t != NONE && t != c ->
#ifdef MUTANT_NOIPI
			printf("EV CPU%d sees vmcs%d cpu=%d: sends no IPI\n", c, v, t);
			t = NONE
#else
			ipi[t] == NONE -> ipi[t] = v;
			printf("EV CPU%d sees vmcs%d cpu=%d: IPI\n", c, v, t)
#endif
		fi
	}
}
#define IPI_DONE(c, v) (t == NONE || t == c || ipi[t] != v)

/* vmx_vcpu_load_vmcs(vcpu, c), preemption disabled.
 * Head: already_loaded = (loaded_vmcs->cpu == cpu), and if so the
 * "prev != vmcs" VMPTRLD; merged into the caller's step (sched-in, or
 * nested switch).  Tail, if not already loaded, three steps:
 *   loaded_vmcs_clear(); local_irq_disable(); smp_rmb(); list_add();
 *	local_irq_enable();
 *   prev = current_vmcs; vmcs_load() if prev != vmcs; host-state VMWRITEs
 *	(IRQs on: an IRQ can come here, with the VMCS listed and current
 *	but loaded_vmcs->cpu not yet this CPU)
 *   loaded_vmcs->cpu = cpu */
inline vmx_vcpu_load_vmcs_head(i, c) {
	v = vcpu_lv[i];
	already = (lv_cpu[v] == c);
	if
	:: already && kvm_cur[c] != v ->
		kvm_cur[c] = v; VMPTRLD(c, v);		/* vmcs_load() */
		printf("EV CPU%d vCPU%d VMPTRLD vmcs%d\n", c, i, v)
	:: already && kvm_cur[c] == v ->
		printf("EV CPU%d vCPU%d vmcs%d still current: no VMPTRLD\n", c, i, v)
	:: else
	fi
}

inline vmx_vcpu_load_vmcs_tail(i, c) {
	if
	:: !already ->
		loaded_vmcs_clear(c, v);
		atomic {
			IPI_DONE(c, v) -> t = 0;
			LISTCHK(lv_list[v] == NONE);	/* list_add() */
			lv_list[v] = c
		}
		atomic {
			if
			:: kvm_cur[c] != v -> kvm_cur[c] = v; VMPTRLD(c, v);	/* vmcs_load() */
				printf("EV CPU%d vCPU%d VMPTRLD vmcs%d\n", c, i, v)
			:: else ->
				printf("EV CPU%d vCPU%d vmcs%d current\n", c, i, v)
			fi;
			VMACCESS(c, v)		/* vmcs_writel(HOST_TR_BASE, ...) */
		}
		atomic {
			lv_cpu[v] = c;
			printf("EV CPU%d vCPU%d vmcs%d cpu=%d\n", c, i, v, c)
		}
	:: else
	fi;
	already = 0
}

/* vcpu_enter_guest() -> vmx_vcpu_run(), IRQs off throughout */
inline vmx_vcpu_run(i, c) {
	atomic {
		v = vcpu_lv[i];
		if
		:: lv_launched[v] -> printf("EV CPU%d vCPU%d VMRESUME vmcs%d\n", c, i, v)
		:: else -> printf("EV CPU%d vCPU%d VMLAUNCH vmcs%d\n", c, i, v)
		fi;
		VMACCESS(c, v);			/* vmcs_writel(HOST_CR3, ...) */
		VMENTER(c, v, lv_launched[v]);	/* VMRESUME iff loaded_vmcs->launched */
		lv_launched[v] = 1;
		VMACCESS(c, v);			/* vmx_get_exit_reason(): VMREAD */
		v = 0
	}
}

/* the scheduler picks a free CPU for the task (blocks while none is) */
#define TAKE_CPU(c) if :: running[0] == NONE -> c = 0 :: running[1] == NONE -> c = 1 fi

/* free_loaded_vmcs() */
inline free_loaded_vmcs(c, v) {
	loaded_vmcs_clear(c, v);
	atomic {
		IPI_DONE(c, v) -> t = 0;
		assert(UAF || hw_active[v] == NONE);	/* free_vmcs() */
		lv_freed[v] = 1;
		printf("EV CPU%d frees vmcs%d\n", c, v)
	}
}

/* nested.c free_nested() on CPU c, vmcs01 loaded (L1 VMXOFF, or
 * vmx_leave_nested() at teardown): vmx_disable_shadow_vmcs() (VMWRITE of
 * the link pointer), vmcs_clear(shadow_vmcs), free_vmcs(shadow_vmcs),
 * then free_loaded_vmcs(&vmcs02). */
inline free_nested(c) {
	atomic {
		v = 0; VMACCESS(c, v);
		VMCLEAR(c, SHADOW);
		nested_on = 0;
		assert(UAF || hw_active[SHADOW] == NONE);
		printf("EV CPU%d vCPU0 free_nested(): shadow VMCS freed\n", c)
	}
	free_loaded_vmcs(c, 1)
}

/* nested.c enter_vmx_operation() (L1 VMXON): alloc_loaded_vmcs(&vmcs02)
 * and alloc_shadow_vmcs(), each VMCLEARed on this CPU; the pages may be
 * the ones just freed, so they reuse the indices. */
inline enter_vmx_operation(c) {
	atomic {
		VMCLEAR(c, 1);
		lv_freed[1] = 0; lv_cpu[1] = NONE; lv_launched[1] = 0;
		VMCLEAR(c, SHADOW);
		nested_on = 1;
		printf("EV CPU%d vCPU0 VMXON: vmcs02 and shadow VMCS allocated\n", c)
	}
}

/* A vCPU thread in KVM_RUN, preemptible: sched in on a free CPU
 * (kvm_sched_in() -> vmx_vcpu_load()), run, nested VM-enter/exit, L1
 * VMXOFF/VMXON, and sched out (kvm_sched_out() -> vmx_vcpu_put(): the
 * VMCS stays loaded). */
proctype vcpu_thread(byte i)
{
	byte c, v, t, n;
	bit already, ok;

	do
	:: n < (i == 0 -> BUDGET0 : (i == 1 -> BUDGET1 : BUDGET2)) ->
		/* kvm_sched_in() -> kvm_arch_vcpu_load() -> vmx_vcpu_load() */
		atomic {
			TAKE_CPU(c);
			running[c] = i;
			printf("EV CPU%d vCPU%d sched_in\n", c, i);
			vmx_vcpu_load_vmcs_head(i, c)
		}
		vmx_vcpu_load_vmcs_tail(i, c);
		do
		:: vmx_vcpu_run(i, c)
		:: i == NESTED && nested_on ->	/* nested.c vmx_switch_vmcs() */
			atomic {
				vcpu_lv[i] = 1 - vcpu_lv[i];
				printf("EV CPU%d vCPU%d vmx_switch_vmcs to vmcs%d\n", c, i, vcpu_lv[i]);
				vmx_vcpu_load_vmcs_head(i, c)
			}
			vmx_vcpu_load_vmcs_tail(i, c)
		:: i == NESTED && nested_on && vcpu_lv[i] == 0 && !vmxoff_done ->
			free_nested(c);		/* handle_vmxoff() */
			vmxoff_done = 1
		:: i == NESTED && !nested_on ->
			enter_vmx_operation(c)	/* handle_vmxon() */
		:: atomic {		/* kvm_sched_out() -> vmx_vcpu_put() */
			printf("EV CPU%d vCPU%d sched_out\n", c, i);
			running[c] = NONE; c = 0; v = 0; n++
		   };
			break
		od
	:: n = 0; break			/* KVM_RUN returns for good */
	od;
#if CTX != CTX_update
	nvcpu_alive--			/* KVM_RUN returns, vCPU fd closed */
#endif
}

/* IPI handler on CPU c: whenever c has IRQs on */
proctype irq(byte c)
{
	byte v;
	bit ok;
end:	do
	:: atomic {
		ipi[c] != NONE && !irqoff[c] ->
		v = ipi[c];
		printf("EV CPU%d IPI __loaded_vmcs_clear(vmcs%d)\n", c, v);
		__loaded_vmcs_clear(c, v);
		ipi[c] = NONE;
		v = 0
	   }
	od
}

/* ================= TDX core ================= */

/* The invoke of KVM's registered callback (x86 virt code, v4): it refuses
 * with -EINVAL unless in task context with IRQs off.  In the update that
 * check cannot fire; the model lets it refuse anyway, nondeterministically,
 * since the design must be safe if it does.  Otherwise rcu_dereference()
 * of the callback and the call, inside the IRQs-off RCU read side.  A
 * refusal after SHUTDOWN breaks I8. */
inline invoke_callback(c) {
	if
#ifndef MUTANT_HARDIRQ		/* M6: the context check is gone */
	:: atomic {
		assert(I8 || !shutdown);
		refused = 1;
		printf("EV CPU%d callback invoke refuses: -EINVAL\n", c)
	   }
#endif
	:: cb = kvm_cb;				/* rcu_dereference() */
		if
		:: cb -> kvm_vmclear_callback(c)
		:: else
		fi;
		cb = 0
	fi
}

/* CPU_PREPARE on CPU c: seamldr_begin_calls() (D3, D4).  D0-D2 and D5
 * have no CPU_PREPARE work. */
inline cpu_prepare(c) {
#if HAS_INVOKE && !defined(MUTANT_V3ORDER)
#ifdef MUTANT_LEADONLY
	if
	:: c == LEAD -> invoke_callback(c)
	:: else
	fi
#else
	invoke_callback(c)
#endif
#endif
	skip
}

/* One P-SEAMLDR call on CPU c, wrapped as each design wraps it.  Inside
 * the update: IRQs are off and nothing else runs, so it is part of the
 * stop's one step. */
inline seamldr_call(c) {
#if DESIGN == 0
	SEAMCALL_SEAMLDR(c)
#elif DESIGN == 1
	flags = irqoff[c]; irqoff[c] = 1;	/* local_irq_save() */
	saved = hw_cur[c];			/* VMPTRST */
	SEAMCALL_SEAMLDR(c);
	if
	:: saved != NONE ->			/* VMPTRLD */
		VMPTRLD(c, saved);
		printf("EV CPU%d VMPTRLD vmcs%d back\n", c, saved)
	:: else
	fi;
	irqoff[c] = flags; saved = 0		/* local_irq_restore() */
#elif DESIGN == 2
	flags = irqoff[c]; irqoff[c] = 1;	/* raw_spinlock_irqsave() */
	SEAMCALL_SEAMLDR(c);
	kvm_cur[c] = NONE;			/* this_cpu_write(current_vmcs, NULL) */
	printf("EV CPU%d current_vmcs = NULL\n", c);
	irqoff[c] = flags
#elif DESIGN == 5
	flags = irqoff[c]; irqoff[c] = 1;	/* local_irq_save() */
	saved = hw_cur[c];			/* VMPTRST */
	VMPTRLD(c, SCRATCH(c));			/* the TDX core's scratch VMCS */
	printf("EV CPU%d VMPTRLD scratch VMCS\n", c);
	SEAMCALL_SEAMLDR(c);
	if
	:: saved != NONE ->			/* VMPTRLD */
		VMPTRLD(c, saved);
		printf("EV CPU%d VMPTRLD vmcs%d back\n", c, saved)
	:: else
	fi;
	irqoff[c] = flags; saved = 0		/* local_irq_restore() */
#else
#ifdef MUTANT_V3ORDER
	/* v3: the flush in seamldr_call(), right before each call, i.e.
	 * after SHUTDOWN; it may refuse there */
	invoke_callback(c);
	if
	:: !refused -> SEAMCALL_SEAMLDR(c)
	:: else
	fi
#else
	SEAMCALL_SEAMLDR(c)	/* the flush was CPU_PREPARE's */
#endif
#endif
}

#if CTX != CTX_offline
/* seamldr_install_module() -> stop_machine_cpuslocked() running the
 * update's state machine (do_seamldr_install_module()) on every CPU.
 * The stopper preempts every task (so it waits until no vCPU thread or
 * teardown step holds a CPU: preempt-disabled code is never interrupted),
 * multi_cpu_stop() disables IRQs on every CPU, and nothing else runs
 * until it ends, rmmod included: the whole update is one step. */
proctype updater()
{
	byte c, u, nx, w, saved;
	bit flags, cb, ok, wflags;
#ifdef MUTANT_OUTSIDE
	bit updated;
#endif

	atomic {
#if CTX == CTX_unload
		nvcpu_alive == 0 &&	/* the update races VM teardown and rmmod */
#endif
#ifdef MUTANT_HARDIRQ
		/* M6: the states run from hardirq context on every CPU (e.g. an
		 * IPI), interrupting whatever runs there with IRQs on */
		!irqoff[0] && !irqoff[1] ->
		printf("EV hardirq on each CPU: the update\n");
#else
		running[0] == NONE && running[1] == NONE ->
		running[0] = LDR; running[1] = LDR;
		printf("EV stop_machine(): the update\n");
#endif
		irqoff[0] = 1; irqoff[1] = 1;
		/* CPU_PREPARE on every CPU */
		for (c : 0 .. NCPU - 1) {
			cpu_prepare(c)
		}
		c = 0;
		if
#ifndef MUTANT_GOON
		:: refused ->		/* the state machine stops */
			printf("EV update fails: the old TDX module still runs\n")
#endif
		:: else ->
			/* SHUTDOWN (lead): the point of no return */
			assert(I8 || !refused);
			shutdown = 1;
			printf("EV SHUTDOWN: the TDX module is shut down\n");
			/* CPU_INSTALL on every CPU: P_SEAMLDR_INSTALL */
			for (c : 0 .. NCPU - 1) {
				seamldr_call(c)
			}
			c = 0;
			/* CPU_INIT, RUN_UPDATE (lead): re-init; on success the
			 * SEAMLDR_INFO refresh */
			if
			:: !refused ->
				printf("EV CPU%d re-init ok: P_SEAMLDR_INFO refresh\n", LEAD);
				seamldr_call(LEAD);
#ifdef MUTANT_OUTSIDE
				updated = 1
#endif
			:: printf("EV re-init fails\n")
			fi
		fi;
		irqoff[0] = 0; irqoff[1] = 0;
#ifndef MUTANT_HARDIRQ
		running[0] = NONE; running[1] = NONE;
#endif
		refused = 0; shutdown = 0
	}
#ifdef MUTANT_OUTSIDE
	/* v3 / 7.3: __seamldr_refresh_info() after cpus_read_unlock(), outside
	 * the stop, with the callback invoked around it in task context with
	 * IRQs off: its RCU read side spans several steps */
	if
	:: updated ->
		atomic {
			running[LEAD] == NONE -> running[LEAD] = LDR; c = LEAD;
			irqoff[c] = 1;
			rcu_readers++;			/* IRQs off: RCU read side */
			cb = kvm_cb;			/* rcu_dereference() */
			printf("EV CPU%d P_SEAMLDR_INFO refresh outside the stop\n", c)
		}
		if
		:: cb -> kvm_vmclear_callback(c)
		:: else
		fi;
		atomic {
			SEAMCALL_SEAMLDR(c);
			rcu_readers--;
			irqoff[c] = 0; running[c] = NONE; cb = 0
		}
	:: else
	fi
#endif
}
#endif

#if CTX != CTX_update
/* The VM teardown thread is preempted (by the update's stopper, or moved
 * by the scheduler): it gives its CPU up and takes one again; with vCPU0
 * vcpu_load()ed, kvm_sched_out()/kvm_sched_in() reload vCPU0's VMCS. */
#define TD_PREEMPT() \
	if \
	:: atomic { running[c] = NONE; printf("EV CPU%d VM teardown preempted\n", c) } \
		atomic { \
			TAKE_CPU(c); running[c] = TEARDOWN; \
			printf("EV CPU%d VM teardown: kvm_sched_in(vCPU0)\n", c); \
			vmx_vcpu_load_vmcs_head(0, c) \
		} \
		vmx_vcpu_load_vmcs_tail(0, c) \
	:: skip \
	fi

/* The VM's last fd is closed (both contexts), then (unload) rmmod
 * kvm_intel; modprobe kvm_intel */
proctype kvm_lifecycle()
{
	byte c, v, t;
	bit ok, already;

	/* kvm_destroy_vm() -> kvm_destroy_vcpus() -> vmx_vcpu_free(), one
	 * thread.  nested_vmx_free_vcpu(): vcpu_load(); vmx_leave_nested();
	 * vcpu_put() */
	atomic {
		nvcpu_alive == 0 -> TAKE_CPU(c); running[c] = TEARDOWN;
		printf("EV CPU%d VM teardown: vcpu_load(vCPU0)\n", c);
		vmx_vcpu_load_vmcs_head(0, c)
	}
	vmx_vcpu_load_vmcs_tail(0, c);
	TD_PREEMPT();
	if
	:: vcpu_lv[0] == 1 ->		/* in guest mode: nested_vmx_vmexit() */
		atomic {
			v = 1; VMACCESS(c, v);	/* sync_vmcs02_to_vmcs12(): VMREADs */
			vcpu_lv[0] = 0;		/* vmx_switch_vmcs(vmcs01) */
			printf("EV CPU%d vCPU0 leaves nested: vmx_switch_vmcs to vmcs0\n", c);
			vmx_vcpu_load_vmcs_head(0, c)
		}
		vmx_vcpu_load_vmcs_tail(0, c);
		atomic { v = 0; VMACCESS(c, v) }	/* load_vmcs12_host_state() */
	:: else
	fi;
	TD_PREEMPT();
	if
	:: nested_on -> free_nested(c)
	:: else
	fi;
	/* vcpu_put(); vmx_vcpu_free() of each vCPU: free_loaded_vmcs() of
	 * each loaded_vmcs that still has a VMCS, preemptible between them */
	atomic { running[c] = NONE; c = 0 }
	for (v : 0 .. NVMCS - 1) {
		if
		:: !lv_freed[v] ->
			atomic { TAKE_CPU(c); running[c] = TEARDOWN }
			free_loaded_vmcs(c, v);
			atomic { running[c] = NONE; c = 0 }
		:: else
		fi
	}
	v = 0;
#if CTX == CTX_unload
	/* kvm_exit() -> kvm_disable_virtualization(): cpuhp teardown runs
	 * vmclear_local_loaded_vmcss() on each CPU (lists are empty now),
	 * then vmx_exit() unregisters the callback like the emergency one. */
	atomic {
		kvm_cb = 0;		/* rcu_assign_pointer(cb, NULL) */
		printf("EV rmmod: callback unregistered\n")
	}
#ifndef MUTANT_NOSYNC
	rcu_readers == 0;		/* synchronize_rcu() */
#endif
	atomic {
		kvm_text = 0;		/* module text freed */
		printf("EV rmmod: kvm-intel text freed\n")
	}
	kvm_text = 1;			/* modprobe: text, then vmx_init() registers */
	kvm_cb = HAS_CB
#endif
}
#endif

#if CTX == CTX_offline
/* CPU hotplug: the cpuhp thread of CPU1 runs kvm_offline_cpu() ->
 * kvm_disable_virtualization_cpu() -> vmx_disable_virtualization_cpu():
 * vmclear_local_loaded_vmcss() (IRQs on in 7.3; off in the series), then
 * VMXOFF.  vCPU threads can no longer run on CPU1 (the scheduler pushes
 * them away), but they keep loading and migrating VMCSs on CPU0, which
 * IPIs CPU1, and once they exit the VM is torn down (kvm_lifecycle()
 * without rmmod), freeing VMCSs the walk may still hold.  The update holds
 * cpus_read_lock(), so it never overlaps this. */
proctype cpu_offline()
{
	byte c, u, nx, w;
	bit ok, wflags;

	atomic {
		running[OFFCPU] == NONE -> running[OFFCPU] = HOTPLUG; c = OFFCPU;
		printf("EV CPU%d offline: kvm_offline_cpu()\n", c)
	}
	vmclear_local_loaded_vmcss(c);
	atomic {	/* x86_virt_put_ref(): VMXOFF, nothing of KVM's active */
		for (w : 0 .. SHADOW) {
			assert(I4 || hw_active[w] != c)
		}
		w = 0;
		hw_cur[c] = NONE;
		printf("EV CPU%d VMXOFF\n", c)
	}
	/* CPU1 stays offline: running[1] is never NONE again.  An IPI sent
	 * before it died is still handled (smpcfd_dying_cpu()). */
}
#endif

init {
	atomic {
		vcpu_lv[0] = VMCS01(0);
		vcpu_lv[1] = VMCS01(1);
		vcpu_lv[2] = VMCS01(2);
		run irq(0); run irq(1);
		run vcpu_thread(0); run vcpu_thread(1); run vcpu_thread(2);
#if CTX != CTX_offline
		run updater();
#endif
#if CTX != CTX_update
		run kvm_lifecycle();
#endif
#if CTX == CTX_offline
		run cpu_offline();
#endif
	}
}
