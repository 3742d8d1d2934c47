/*
 * vmcs.pml - VMX hardware VMCS state vs. KVM's VMCS tracking around
 * P-SEAMLDR SEAMCALLs, whose SEAMRET clears VMCSs behind KVM's back.
 *
 * One source, configured with spin -D (see README.md):
 *   DESIGN 0  no handling (7.3 seamldr_call() without the erratum gate)
 *          1  VMPTRST / SEAMCALL / VMPTRLD save-restore, IRQs off (v2)
 *          2  this_cpu_write(current_vmcs, NULL) after the SEAMCALL
 *          3  KVM callback vmclear_local_loaded_vmcss(), 7.3 __loaded_vmcs_clear()
 *          4  KVM callback, series __loaded_vmcs_clear() (cpu = -1 stored last)
 *   HW     1  SEAMRET pseudocode: current VMCS flushed+clear, pointer invalid
 *          2  every VMCS active on the calling CPU ends up inactive+clear
 *   CTX    1  stop_machine() install path: every CPU calls, IRQs off
 *          2  sysfs seamldr_version read on one CPU; vCPUs keep running
 *          3  as 2, with VM teardown and kvm-intel unload + reload
 *   Mutants of DESIGN 4: MUTANT_NOCB (M1) callback never registered,
 *   MUTANT_OLDORDER (M2) 7.3 store order, MUTANT_NOSYNC (M3) unregister
 *   without synchronize_rcu().
 *
 * Memory model: sequential consistency, smp_wmb()/smp_rmb() are program
 * order.  Each atomic{} is one step; a step is what the other CPUs can
 * interleave with.  Loads and stores of loaded_vmcs->cpu/launched that
 * race across CPUs are separate steps, in the order the code has them.
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

#if DESIGN == 4 && !defined(MUTANT_OLDORDER)
#define SERIES_ORDER 1		/* launched = 0; list_del; smp_wmb(); cpu = -1 */
#else
#define SERIES_ORDER 0		/* list_del; smp_wmb(); cpu = -1; launched = 0 */
#endif
#if DESIGN >= 3 && !defined(MUTANT_NOCB)
#define HAS_CB 1
#else
#define HAS_CB 0
#endif

#define NCPU	2
#define NVCPU	3		/* vCPU0 is nested: vmcs01 = 0, vmcs02 = 1 */
#define NVMCS	4		/* vCPU1 -> vmcs2, vCPU2 -> vmcs3 */
#define NESTED	0
#define NONE	255		/* cpu == -1; VMCS pointer FFFFFFFF_FFFFFFFFH */
#define LDR	9		/* task id of the P-SEAMLDR caller */
#define VMCS01(i) (i == 0 -> 0 : i + 1)

/* Check names: never set, so a failed assert(Ix || cond) names its check. */
bit I1, I2, I3, I4, I7, LIST, UAF;

/* ---- hardware, per CPU and per VMCS ---- */
byte hw_cur[NCPU] = NONE;	/* current-VMCS pointer */
byte hw_active[NVMCS] = NONE;	/* CPU it is active on (cached), or NONE */
bit  hw_launched[NVMCS];	/* launch state: 0 clear, 1 launched */

/* ---- KVM, arch/x86/kvm/vmx/vmx.c ---- */
byte kvm_cur[NCPU] = NONE;	/* per_cpu(current_vmcs) */
byte lv_cpu[NVMCS] = NONE;	/* loaded_vmcs->cpu */
bit  lv_launched[NVMCS];	/* loaded_vmcs->launched */
byte lv_list[NVMCS] = NONE;	/* on which per_cpu(loaded_vmcss_on_cpu) */
bit  lv_freed[NVMCS];		/* free_loaded_vmcs() done (CTX 3) */
byte vcpu_lv[NVCPU];		/* vmx->loaded_vmcs */

/* ---- kernel ---- */
byte running[NCPU] = NONE;	/* task on the CPU: vCPU thread, LDR or NONE */
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

/* VMLAUNCH (resume == 0) needs "clear", VMRESUME (resume == 1) "launched" */
inline VMENTER(c, v, resume) {
	VMACCESS(c, v);
	assert(I2 || hw_launched[v] == resume);
	hw_launched[v] = 1
}

/* seamcall_prerr(): SEAMCALL(P_SEAMLDR_*) ... SEAMRET, inP_SEAMLDR == 1 */
inline SEAMCALL_SEAMLDR(c) {
#if DESIGN >= 3
	for (w : 0 .. NVMCS - 1) {	/* I4: nothing of KVM's active here */
		assert(I4 || hw_active[w] != c)
	}
#endif
#if HW == 1
	if
	:: hw_cur[c] != NONE ->
		printf("EV CPU%d SEAMRET clears vmcs%d\n", c, hw_cur[c]);
		hw_active[hw_cur[c]] = NONE;
		hw_launched[hw_cur[c]] = 0;
		hw_cur[c] = NONE
	:: else
	fi;
#else
	for (w : 0 .. NVMCS - 1) {
		if
		:: hw_active[w] == c ->
			printf("EV CPU%d SEAMRET clears vmcs%d\n", c, w);
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

/* __loaded_vmcs_clear(v) on CPU c, the CPU-local part; ok = it proceeds */
inline __loaded_vmcs_clear_head(c, v) {
	ok = (lv_cpu[v] == c);		/* else: migration raced with offline */
	if
	:: ok ->
		assert(UAF || !lv_freed[v]);
		if
		:: kvm_cur[c] == v -> kvm_cur[c] = NONE
		:: else
		fi;
		VMCLEAR(c, v)		/* vmcs_clear(loaded_vmcs->vmcs) */
	:: else
	fi
}

/* __loaded_vmcs_clear(v), the stores other CPUs can observe, one step
 * each, in program order.  7.3:
 *	list_del(); smp_wmb(); cpu = -1; launched = 0;
 * series:
 *	launched = 0; list_del(); smp_wmb(); cpu = -1;
 */
inline __loaded_vmcs_clear_tail(c, v) {
#if SERIES_ORDER
	atomic {
		assert(UAF || !lv_freed[v]);
		lv_launched[v] = 0;
		printf("EV CPU%d clears vmcs%d: launched=0\n", c, v)
	}
#endif
	atomic {
		assert(UAF || !lv_freed[v]);
		lv_list[v] = NONE			/* list_del() */
	}
	atomic {					/* smp_wmb() */
		assert(UAF || !lv_freed[v]);
		lv_cpu[v] = NONE;
		printf("EV CPU%d clears vmcs%d: cpu=-1\n", c, v)
	}
#if !SERIES_ORDER
	atomic {
		assert(UAF || !lv_freed[v]);
		lv_launched[v] = 0;
		printf("EV CPU%d clears vmcs%d: launched=0\n", c, v)
	}
#endif
}

/* __loaded_vmcs_clear() as a whole (IPI handler, local call) */
inline __loaded_vmcs_clear(c, v) {
	__loaded_vmcs_clear_head(c, v);
	if
	:: ok -> __loaded_vmcs_clear_tail(c, v)
	:: else
	fi;
	ok = 0
}

/* vmclear_local_loaded_vmcss(): list_for_each_entry_safe() on CPU c,
 * the callback; IRQs are off so it runs store by store. */
inline vmclear_local_loaded_vmcss(c) {
	u = 0;
	do
	:: atomic {
		do				/* next entry on this CPU's list */
		:: u < NVMCS && lv_list[u] != c -> u++
		:: else -> break
		od;
		if
		:: u < NVMCS -> __loaded_vmcs_clear_head(c, u)
		:: else
		fi
	   };
		if
		:: u == NVMCS -> u = 0; break
		:: else
		fi;
		if
		:: ok -> __loaded_vmcs_clear_tail(c, u)
		:: else
		fi;
		ok = 0; u++
	od
}

/* loaded_vmcs_clear(): re-reads loaded_vmcs->cpu, then
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
			ipi[t] == NONE -> ipi[t] = v;
			printf("EV CPU%d sees vmcs%d cpu=%d: IPI\n", c, v, t)
		fi
	}
}
#define IPI_DONE(c, v) (t == NONE || t == c || ipi[t] != v)

/* vmx_vcpu_load_vmcs(vcpu, c), preemption disabled, in two parts.
 * Head: already_loaded = (loaded_vmcs->cpu == cpu), and if so the
 * "prev != vmcs" VMPTRLD; merged into the caller's step (sched-in, or
 * nested switch).  Tail, if not already loaded: loaded_vmcs_clear(),
 * then list_add(), VMPTRLD, host-state VMWRITEs, loaded_vmcs->cpu = cpu. */
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
			/* local_irq_disable(); smp_rmb(); list_add() */
			assert(LIST || lv_list[v] == NONE);
			lv_list[v] = c;
			/* prev = per_cpu(current_vmcs); vmcs_load() */
			if
			:: kvm_cur[c] != v -> kvm_cur[c] = v; VMPTRLD(c, v);	/* vmcs_load() */
				printf("EV CPU%d vCPU%d VMPTRLD vmcs%d, cpu=%d\n", c, i, v, c)
			:: else ->
				printf("EV CPU%d vCPU%d vmcs%d current, cpu=%d\n", c, i, v, c)
			fi;
			VMACCESS(c, v);		/* vmcs_writel(HOST_TR_BASE, ...) */
			lv_cpu[v] = c
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

/* A vCPU thread in KVM_RUN, preemptible: sched in on a free CPU
 * (kvm_sched_in() -> vmx_vcpu_load()), run, nested VM-enter/exit, and
 * sched out (kvm_sched_out() -> vmx_vcpu_put(): the VMCS stays loaded). */
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
		:: i == NESTED ->		/* nested.c vmx_switch_vmcs() */
			atomic {
				vcpu_lv[i] = 1 - vcpu_lv[i];
				printf("EV CPU%d vCPU%d vmx_switch_vmcs to vmcs%d\n", c, i, vcpu_lv[i]);
				vmx_vcpu_load_vmcs_head(i, c)
			}
			vmx_vcpu_load_vmcs_tail(i, c)
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
#else
	atomic {
		flags = irqoff[c]; irqoff[c] = 1;	/* raw_spinlock_irqsave(&seamldr_lock) */
		rcu_readers++;				/* IRQs off: RCU read side */
		cb = kvm_cb				/* rcu_dereference() */
	}
	if
	:: cb ->
		atomic {
			printf("EV CPU%d KVM callback: vmclear_local_loaded_vmcss()\n", c);
			assert(I7 || kvm_text)
		}
		vmclear_local_loaded_vmcss(c)
	:: else
	fi;
	atomic {
		SEAMCALL_SEAMLDR(c);
		rcu_readers--;
		irqoff[c] = flags;			/* unlock, irqrestore */
		cb = 0; flags = 0
	}
#endif
}

proctype seamldr_caller()
{
	byte c, u, w, saved;
	bit flags, cb, ok;
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
#else
	/* seamldr_version_show() -> seamldr_get_info() -> seamldr_call(),
	 * preempting whatever ran there.  The CPUs are symmetric in this
	 * model, so the reader is on CPU0 without loss of generality. */
	atomic {
#if CTX == 3
		nvcpu_alive == 0 &&	/* the read races VM teardown and rmmod */
#endif
		running[0] == NONE -> running[0] = LDR; c = 0;
		printf("EV CPU0 sysfs read: P_SEAMLDR_INFO\n")
	}
	seamldr_call(c);
	running[c] = NONE
#endif
}

#if CTX == 3
/* The VM's last fd is closed, then rmmod kvm_intel; modprobe kvm_intel */
proctype kvm_lifecycle()
{
	byte c, v, t;
	bit ok, already;

	/* kvm_destroy_vm() -> kvm_destroy_vcpus() -> vmx_vcpu_free() ->
	 * free_loaded_vmcs() for every VMCS, from one thread on one CPU. */
	atomic { nvcpu_alive == 0 -> TAKE_CPU(c); running[c] = LDR + 1 }
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
	/* vmx_vcpu_free() of each vCPU */
	for (v : 0 .. NVMCS - 1) {
		free_loaded_vmcs(c, v)
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

init {
	atomic {
		vcpu_lv[0] = VMCS01(0);
		vcpu_lv[1] = VMCS01(1);
		vcpu_lv[2] = VMCS01(2);
		run irq(0); run irq(1);
		run vcpu_thread(0); run vcpu_thread(1); run vcpu_thread(2);
		run seamldr_caller();
#if CTX == 3
		run kvm_lifecycle();
#endif
	}
}
