/*
 * vmcs.pml - VMX hardware VMCS state vs. KVM's VMCS tracking around
 * P-SEAMLDR SEAMCALLs, whose SEAMRET clears VMCSs behind KVM's back, and
 * around CPU offline.
 *
 * One source, configured with spin -D (see README.md):
 *   DESIGN 0  no handling (7.3 seamldr_call() without the erratum gate)
 *          1  VMPTRST / SEAMCALL / VMPTRLD save-restore, IRQs off (v2)
 *          2  this_cpu_write(current_vmcs, NULL) after the SEAMCALL
 *          3  KVM callback vmclear_local_loaded_vmcss() on 7.3's KVM:
 *             7.3 __loaded_vmcs_clear() store order, and the list walk in
 *             the caller's IRQ state (off in the callback, on at offline)
 *          4  the series: the callback, __loaded_vmcs_clear() storing
 *             cpu = -1 last, and the list walk with IRQs off
 *          5  scratch VMCS: VMPTRST, VMPTRLD a per-CPU TDX-owned VMCS,
 *             SEAMCALL, VMPTRLD the saved one back, IRQs off (7.3's KVM)
 *   HW     1  SEAMRET pseudocode: the current VMCS and the VMCS it links
 *             to (vmcs01's shadow VMCS) flushed+clear, current-VMCS invalid
 *          2  every VMCS active on the calling CPU ends up inactive+clear
 *   CTX    1  update: stop_machine(), P_SEAMLDR_INSTALL on every CPU with
 *             IRQs off, then the SEAMLDR_INFO refresh on one CPU while
 *             vCPUs run again
 *          2  single: one P-SEAMLDR_INFO call on one CPU (probe query or
 *             post-update refresh) while vCPUs run on the other
 *          3  unload: as 2, racing VM teardown and kvm-intel unload+reload
 *          4  offline: kvm_offline_cpu() of CPU1 while vCPUs run; no
 *             P-SEAMLDR call (KVM's own path: only DESIGN 3 and 4 differ)
 *   Mutants of DESIGN 4 (README.md, expected.txt): MUTANT_NOCB (M1),
 *   MUTANT_OLDORDER (M2), MUTANT_NOSYNC (M3), MUTANT_EARLYCPU (M4),
 *   MUTANT_NOIPI (M5), MUTANT_HARDIRQ (M6), MUTANT_CURONLY (M7),
 *   MUTANT_IRQWALK (M8), MUTANT_SHADOWTEST (M9).
 *
 * Memory model: sequential consistency, smp_wmb()/smp_rmb() are program
 * order.  Each atomic{} is one step; a step is what the other CPUs can
 * interleave with.  Loads and stores of loaded_vmcs->cpu/launched and of
 * the per-CPU lists that race across CPUs are separate steps, in the
 * order the code has them.
 */

#ifndef DESIGN
#define DESIGN 4
#endif
#ifndef HW
#define HW 1
#endif
#ifndef CTX
#define CTX 2
#endif
#ifndef BUDGET0			/* sched-ins of vCPU thread 0 (nested) */
#if CTX == 3
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
#define IRQOFF_WALK 1		/* local_irq_save() around the list walk */
#else
#define IRQOFF_WALK 0
#endif
#if (DESIGN == 3 || DESIGN == 4) && !defined(MUTANT_NOCB)
#define HAS_CB 1
#else
#define HAS_CB 0
#endif
/* I4 at the P-SEAMLDR SEAMCALL is the callback designs' precondition;
 * the current-only flush mutant turns it off to show what H2 does. */
#if (DESIGN == 3 || DESIGN == 4) && !defined(MUTANT_CURONLY)
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
#define LDR	9		/* task id of the P-SEAMLDR caller */
#define TEARDOWN 10		/* task id of the VM teardown thread */
#define HOTPLUG	11		/* task id of CPU1's hotplug thread */
#define OFFCPU	1		/* the CPU that goes offline (CTX 4) */
#define VMCS01(i) (i == 0 -> 0 : i + 1)

/* Check names: never set, so a failed assert(Ix || cond) names its check. */
bit I1, I2, I3, I4, I7, LIST, UAF;
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

/* seamcall_prerr(): SEAMCALL(P_SEAMLDR_*) ... SEAMRET, inP_SEAMLDR == 1 */
inline SEAMCALL_SEAMLDR(c) {
#if CHECK_I4
	for (w : 0 .. SHADOW) {		/* I4: nothing of KVM's active here */
		assert(I4 || hw_active[w] != c)
	}
#endif
#if HW == 1
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
#else
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
#if CTX == 3
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

/* ================= TDX core: seamldr_call() ================= */

inline seamldr_call(c) {
#if DESIGN == 0
	atomic {	/* guard(raw_spinlock)(&seamldr_lock); seamcall_prerr() */
		SEAMCALL_SEAMLDR(c)
	}
#elif DESIGN == 1
	atomic {
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
	}
#elif DESIGN == 2
	atomic {
		flags = irqoff[c]; irqoff[c] = 1;	/* raw_spinlock_irqsave() */
		SEAMCALL_SEAMLDR(c);
		kvm_cur[c] = NONE;			/* this_cpu_write(current_vmcs, NULL) */
		printf("EV CPU%d current_vmcs = NULL\n", c);
		irqoff[c] = flags
	}
#elif DESIGN == 5
	atomic {
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
	}
#else
	atomic {
		flags = irqoff[c]; irqoff[c] = 1;	/* guard(irqsave)() */
		rcu_readers++;				/* IRQs off: RCU read side */
		cb = kvm_cb				/* rcu_dereference() */
	}
	if
	:: cb ->
		atomic {
			printf("EV CPU%d KVM callback: flush\n", c);
			assert(I7 || kvm_text)
		}
#ifdef MUTANT_CURONLY
		flush_current_only(c)
#else
		vmclear_local_loaded_vmcss(c)
#endif
	:: else
	fi;
	atomic {	/* guard(raw_spinlock)(&seamldr_lock): the calls' order
		 * doesn't matter here, so the lock isn't modelled */
		SEAMCALL_SEAMLDR(c);
		rcu_readers--;
		irqoff[c] = flags;			/* unlock, irqrestore */
		cb = 0; flags = 0
	}
#endif
}

#if CTX != 4
proctype seamldr_caller()
{
	byte c, u, nx, w, saved;
	bit flags, cb, ok, wflags;
#if CTX == 1
	/* seamldr_install_module() -> stop_machine_cpuslocked(): the stopper
	 * preempts every vCPU thread, multi_cpu_stop() disables IRQs on all
	 * CPUs, then do_seamldr_install_module() runs seamldr_install() ->
	 * seamldr_call() on each CPU, serialized by seamldr_lock. */
	atomic {	/* nothing else can run meanwhile: one step */
		running[0] == NONE && running[1] == NONE ->
		running[0] = LDR; running[1] = LDR;
		irqoff[0] = 1; irqoff[1] = 1;
		printf("EV stop_machine: P_SEAMLDR_INSTALL on each CPU\n");
		for (c : 0 .. NCPU - 1) {
			seamldr_call(c)
		}
		irqoff[0] = 0; irqoff[1] = 0; running[0] = NONE; running[1] = NONE; c = 0
	}
	/* then, after cpus_read_unlock(), __seamldr_refresh_info() on the
	 * updater's CPU while vCPUs run again: CPU0 w.l.o.g. */
#endif
#if CTX == 2 && defined(MUTANT_HARDIRQ)
	/* the flush and the call from hardirq context on CPU0: it interrupts
	 * whatever runs there with IRQs on, and runs to completion */
	atomic {
		!irqoff[0] -> c = 0;
		printf("EV CPU0 hardirq: P-SEAMLDR call\n");
		seamldr_call(c)
	}
#else
	/* seamldr_refresh_info() (probe) or __seamldr_refresh_info() (after an
	 * update) -> seamldr_call(), preempting whatever ran there.  The CPUs
	 * are symmetric in this model, so it is CPU0 without loss of
	 * generality. */
	atomic {
#if CTX == 3
		nvcpu_alive == 0 &&	/* the call races VM teardown and rmmod */
#endif
		running[0] == NONE -> running[0] = LDR; c = 0;
		printf("EV CPU0 P-SEAMLDR_INFO call\n")
	}
	seamldr_call(c);
	running[c] = NONE
#endif
}
#endif

#if CTX == 3
/* The VM's last fd is closed, then rmmod kvm_intel; modprobe kvm_intel */
proctype kvm_lifecycle()
{
	byte c, v, t;
	bit ok, already;

	/* kvm_destroy_vm() -> kvm_destroy_vcpus() -> vmx_vcpu_free(), from
	 * one thread on one CPU. */
	atomic { nvcpu_alive == 0 -> TAKE_CPU(c); running[c] = TEARDOWN }
	/* nested_vmx_free_vcpu(): vcpu_load(); vmx_leave_nested() */
	atomic { printf("EV CPU%d VM teardown: vcpu_load(vCPU0)\n", c); vmx_vcpu_load_vmcs_head(0, c) }
	vmx_vcpu_load_vmcs_tail(0, c);
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
	if
	:: nested_on -> free_nested(c)
	:: else
	fi;
	/* vcpu_put(); vmx_vcpu_free() of each vCPU: free_loaded_vmcs() of
	 * each loaded_vmcs that still has a VMCS */
	for (v : 0 .. NVMCS - 1) {
		if
		:: !lv_freed[v] -> free_loaded_vmcs(c, v)
		:: else
		fi
	}
	atomic { running[c] = NONE; c = 0; v = 0 }

	/* kvm_exit() -> kvm_disable_virtualization(): cpuhp teardown runs
	 * vmclear_local_loaded_vmcss() on each CPU (lists are empty now),
	 * then the callback is unregistered like the emergency one. */
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
	kvm_text = 1;			/* modprobe: text, then register */
	kvm_cb = HAS_CB
}
#endif

#if CTX == 4
/* CPU hotplug: the cpuhp thread of CPU1 runs kvm_offline_cpu() ->
 * kvm_disable_virtualization_cpu() -> vmx_disable_virtualization_cpu():
 * vmclear_local_loaded_vmcss() with IRQs on (only the series disables
 * them around the walk), then VMXOFF.  vCPU threads can no longer run on
 * CPU1 (the scheduler pushes them away), but they keep loading and
 * migrating VMCSs on CPU0, which IPIs CPU1. */
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
#if CTX != 4
		run seamldr_caller();
#endif
#if CTX == 3
		run kvm_lifecycle();
#endif
#if CTX == 4
		run cpu_offline();
#endif
	}
}
