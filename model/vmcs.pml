/*
 * vmcs.pml - VMX hardware VMCS state vs. KVM's VMCS tracking around
 * P-SEAMLDR SEAMCALLs, whose SEAMRET clears VMCSs behind KVM's back.
 *
 * One source, configured with spin -D (see README.md):
 *   DESIGN 0  no handling (seamldr_call() as in 7.3 minus the erratum gate)
 *          1  VMPTRST / SEAMCALL / VMPTRLD save-restore (v2 in the thread)
 *          2  this_cpu_write(current_vmcs, NULL) after the SEAMCALL
 *          3  KVM callback vmclear_local_loaded_vmcss(), 7.3 __loaded_vmcs_clear()
 *          4  KVM callback, series __loaded_vmcs_clear() (cpu = -1 published last)
 *   HW     1  SEAMRET pseudocode: current VMCS flushed+clear, current-VMCS invalid
 *          2  every VMCS active on the calling CPU ends up inactive+clear
 *   CTX    1  stop_machine() install path (every CPU calls, IRQs off)
 *          2  sysfs seamldr_version read on one CPU, others keep running vCPUs
 *          3  as 2, racing kvm-intel unload (callback unregister) and reload
 *   Mutants of DESIGN 4: MUTANT_NOCB (M1) callback never registered,
 *   MUTANT_OLDORDER (M2) 7.3 store order, MUTANT_NOSYNC (M3) unregister
 *   without synchronize_rcu().
 *
 * Memory model: sequential consistency; smp_wmb()/smp_rmb() are program
 * order.  Every statement is one interleaving point unless inside atomic{}.
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
#ifndef BUDGET			/* sched-ins per vCPU thread */
#define BUDGET 2
#endif

#if DESIGN == 4 && !defined(MUTANT_OLDORDER)
#define SERIES_ORDER 1		/* launched = 0 ... smp_wmb(); cpu = -1 last */
#else
#define SERIES_ORDER 0		/* 7.3: smp_wmb(); cpu = -1; launched = 0 */
#endif
#if DESIGN >= 3 && !defined(MUTANT_NOCB)
#define HAS_CB 1
#else
#define HAS_CB 0
#endif

#define NCPU	2
#define NVCPU	3		/* vCPU0 is nested: vmcs01 = 0, vmcs02 = 1 */
#define NVMCS	4		/* vCPU1 -> vmcs 2, vCPU2 -> vmcs 3 */
#define NESTED	0
#define NONE	255		/* cpu == -1, VMCS pointer FFFFFFFF_FFFFFFFFH */
#define LDR	9		/* "task" id of the P-SEAMLDR caller */
#define VMCS01(i) (i == 0 -> 0 : i + 1)

/* Names of the checks: always 0, so a failed assert(Ix || cond)
 * prints which invariant broke. */
bit I1, I2, I3, I4, I7, LIST, UAF;	/* never set */

/* ---- hardware ---- */
byte hw_cur[NCPU] = NONE;	/* current-VMCS pointer */
byte hw_active[NVMCS] = NONE;	/* CPU whose VMCS cache holds it, or NONE */
bit  hw_launched[NVMCS];	/* launch state: 0 clear, 1 launched */

/* ---- KVM (arch/x86/kvm/vmx/vmx.c) ---- */
byte kvm_cur[NCPU] = NONE;	/* per_cpu(current_vmcs) */
byte lv_cpu[NVMCS] = NONE;	/* loaded_vmcs->cpu */
bit  lv_launched[NVMCS];	/* loaded_vmcs->launched */
byte lv_list[NVMCS] = NONE;	/* which per_cpu(loaded_vmcss_on_cpu) holds it */
bit  lv_freed[NVMCS];		/* free_loaded_vmcs() done (CTX 3) */
byte vcpu_lv[NVCPU];		/* vmx->loaded_vmcs */

/* ---- kernel ---- */
byte running[NCPU] = NONE;	/* task on the CPU: vCPU thread id, LDR, NONE */
bit  irqoff[NCPU];
byte ipi[NCPU] = NONE;		/* pending __loaded_vmcs_clear(v) IPI */
bit  kvm_cb = HAS_CB;		/* RCU pointer to KVM's callback */
bit  kvm_text = 1;		/* kvm-intel.ko is loaded */
byte rcu_readers;		/* CPUs inside an IRQs-off read side */
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

/* VMREAD/VMWRITE: VMfailInvalid without a current VMCS; and the VMCS the
 * hardware uses must be the one KVM believes it is using. */
inline VMACCESS(c, v) {
	assert(I1 || (hw_cur[c] != NONE && hw_cur[c] == kvm_cur[c] && kvm_cur[c] == v))
}

/* VMLAUNCH (resume == 0) / VMRESUME (resume == 1) */
inline VMENTER(c, v, resume) {
	VMACCESS(c, v);
	assert(I2 || hw_launched[v] == resume);
	hw_launched[v] = 1
}

/* SEAMCALL(P_SEAMLDR_*) ... SEAMRET with inP_SEAMLDR == 1 */
inline SEAMCALL_SEAMLDR(c) {
#if DESIGN >= 3
	/* I4: nothing KVM has loaded is active on this CPU */
	w = 0;
	do
	:: w < NVMCS -> assert(I4 || hw_active[w] != c); w++
	:: else -> break
	od;
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
	w = 0;
	do
	:: w < NVMCS && hw_active[w] == c ->
		printf("EV CPU%d SEAMRET clears vmcs%d\n", c, w);
		hw_active[w] = NONE; hw_launched[w] = 0; w++
	:: w < NVMCS && hw_active[w] != c -> w++
	:: else -> break
	od;
	hw_cur[c] = NONE;
#endif
	w = 0
}

/* ================= KVM ================= */

/* __loaded_vmcs_clear(): from the IPI (inside atomic) or from
 * vmclear_local_loaded_vmcss() (store by store). */
inline __loaded_vmcs_clear(c, v) {
	if
	:: lv_cpu[v] != c -> skip	/* vcpu migration can race with cpu offline */
	:: else ->
		atomic {
			if
			:: kvm_cur[c] == v -> kvm_cur[c] = NONE
			:: else
			fi;
			VMCLEAR(c, v)		/* vmcs_clear(loaded_vmcs->vmcs) */
		}
#if SERIES_ORDER
		assert(UAF || !lv_freed[v]);
		lv_launched[v] = 0;
		printf("EV CPU%d clears vmcs%d: launched=0\n", c, v);
#endif
		assert(UAF || !lv_freed[v]);
		lv_list[v] = NONE;		/* list_del(); smp_wmb() */
		assert(UAF || !lv_freed[v]);
		lv_cpu[v] = NONE;
		printf("EV CPU%d clears vmcs%d: cpu=-1\n", c, v);
#if !SERIES_ORDER
		assert(UAF || !lv_freed[v]);
		lv_launched[v] = 0;
		printf("EV CPU%d clears vmcs%d: launched=0\n", c, v);
#endif
	fi
}

/* vmclear_local_loaded_vmcss(): list_for_each_entry_safe() on this CPU */
inline vmclear_local_loaded_vmcss(c) {
	u = 0;
	do
	:: u < NVMCS && lv_list[u] == c -> __loaded_vmcs_clear(c, u); u++
	:: u < NVMCS && lv_list[u] != c -> u++
	:: else -> break
	od;
	u = 0
}

/* smp_call_function_single(t, __loaded_vmcs_clear, v, 1) from CPU c */
inline smp_call_function_single(t, c, v) {
	if
	:: t == c -> atomic { __loaded_vmcs_clear(c, v) }
	:: else ->
		atomic { ipi[t] == NONE -> ipi[t] = v };
		ipi[t] != v			/* wait == 1 */
	fi
}

/* loaded_vmcs_clear() */
inline loaded_vmcs_clear(c, v) {
	t = lv_cpu[v];
	if
	:: t != NONE ->
		printf("EV CPU%d loaded_vmcs_clear(vmcs%d): IPI to CPU%d\n", c, v, t);
		smp_call_function_single(t, c, v)
	:: else ->
		printf("EV CPU%d loaded_vmcs_clear(vmcs%d): cpu==-1, no IPI\n", c, v)
	fi;
	t = 0
}

/* vmx_vcpu_load_vmcs(), preemption disabled */
inline vmx_vcpu_load_vmcs(i, c) {
	v = vcpu_lv[i];
	already = (lv_cpu[v] == c);
	if
	:: !already ->
		loaded_vmcs_clear(c, v);
		atomic {		/* local_irq_disable(); smp_rmb(); list_add() */
			assert(LIST || lv_list[v] == NONE);
			lv_list[v] = c
		}
	:: else
	fi;
	atomic {
		if
		:: kvm_cur[c] != v ->
			kvm_cur[c] = v;
			VMPTRLD(c, v);		/* vmcs_load() */
			printf("EV CPU%d vCPU%d VMPTRLD vmcs%d\n", c, i, v)
		:: else ->
			printf("EV CPU%d vCPU%d vmcs%d already current, no VMPTRLD\n", c, i, v)
		fi
	}
	if
	:: !already ->
		atomic {
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
		VMACCESS(c, v);			/* vmcs_writel(HOST_CR3, ...) */
		if
		:: lv_launched[v] ->
			printf("EV CPU%d vCPU%d VMRESUME vmcs%d\n", c, i, v)
		:: else ->
			printf("EV CPU%d vCPU%d VMLAUNCH vmcs%d\n", c, i, v)
		fi;
		VMENTER(c, v, lv_launched[v]);	/* __vmx_vcpu_run(): VMRESUME iff launched */
		lv_launched[v] = 1;		/* vmx->loaded_vmcs->launched = 1 */
		VMACCESS(c, v)			/* vmx_get_exit_reason(): VMREAD */
	}
}

/* nested.c vmx_switch_vmcs(): vmcs01 <-> vmcs02, get_cpu() held */
inline vmx_switch_vmcs(i, c) {
	vcpu_lv[i] = (vcpu_lv[i] == 0 -> 1 : 0);
	printf("EV CPU%d vCPU%d vmx_switch_vmcs -> vmcs%d\n", c, i, vcpu_lv[i]);
	vmx_vcpu_load_vmcs(i, c)
}

/* free_loaded_vmcs() */
inline free_loaded_vmcs(c, v) {
	loaded_vmcs_clear(c, v);
	atomic {
		assert(UAF || hw_active[v] == NONE);	/* free_vmcs() of an active VMCS */
		lv_freed[v] = 1;
		printf("EV CPU%d frees vmcs%d\n", c, v)
	}
}

/* schedule() picks this thread on a free CPU */
inline take_cpu(id, c) {
	if
	:: atomic { running[0] == NONE -> running[0] = id; c = 0 }
	:: atomic { running[1] == NONE -> running[1] = id; c = 1 }
	fi
}

/* A vCPU thread in KVM_RUN: vcpu_load (kvm_sched_in), runs, nested
 * switches, kvm_sched_out (vmx_vcpu_put(): the VMCS stays loaded). */
proctype vcpu_thread(byte i)
{
	byte c, v, t, n;
	bit already;

	do
	:: n < BUDGET ->
		n++;
		take_cpu(i, c);
		printf("EV CPU%d vCPU%d sched_in\n", c, i);
		vmx_vcpu_load_vmcs(i, c);	/* kvm_sched_in() -> vmx_vcpu_load() */
		do
		:: vmx_vcpu_run(i, c)
		:: i == NESTED -> vmx_switch_vmcs(i, c)
		:: break			/* preempted */
		od;
		atomic {			/* kvm_sched_out() -> vmx_vcpu_put() */
			printf("EV CPU%d vCPU%d sched_out\n", c, i);
			running[c] = NONE
		}
	:: else -> break
	od;
#if CTX == 3
	/* kvm_destroy_vm() -> vmx_vcpu_free(): the VM goes away before unload */
	take_cpu(i, c);
	v = VMCS01(i);
	free_loaded_vmcs(c, v);
	if
	:: i == NESTED -> v = 1; free_loaded_vmcs(c, v)
	:: else
	fi;
	atomic { running[c] = NONE; nvcpu_alive-- }
#endif
}

/* IPI handler: runs on CPU c whenever c has IRQs on */
proctype irq(byte c)
{
	byte v;
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
	/* guard(raw_spinlock)(&seamldr_lock); seamcall_prerr() */
	SEAMCALL_SEAMLDR(c)
#elif DESIGN == 1
	atomic {
		flags = irqoff[c]; irqoff[c] = 1;	/* local_irq_save() */
		saved = hw_cur[c];			/* VMPTRST */
		SEAMCALL_SEAMLDR(c);
		if					/* VMPTRLD if it was valid */
		:: saved != NONE -> VMPTRLD(c, saved);
			printf("EV CPU%d seamldr_call VMPTRLD vmcs%d back\n", c, saved)
		:: else
		fi;
		irqoff[c] = flags			/* local_irq_restore() */
	}
#elif DESIGN == 2
	atomic {
		flags = irqoff[c]; irqoff[c] = 1;	/* raw_spinlock_irqsave */
		SEAMCALL_SEAMLDR(c);
		kvm_cur[c] = NONE;			/* this_cpu_write(current_vmcs, NULL) */
		irqoff[c] = flags
	}
#else
	atomic {
		flags = irqoff[c]; irqoff[c] = 1;	/* raw_spinlock_irqsave(&seamldr_lock) */
		rcu_readers++;				/* IRQs-off = RCU read side */
		cb = kvm_cb				/* rcu_dereference(seamldr callback) */
	}
	if
	:: cb ->
		assert(I7 || kvm_text);			/* I7: kvm-intel text is there */
		printf("EV CPU%d seamldr_call runs KVM callback\n", c);
		vmclear_local_loaded_vmcss(c)
	:: else
	fi;
	atomic {
		SEAMCALL_SEAMLDR(c);
		rcu_readers--;
		irqoff[c] = flags;
		cb = 0
	}
#endif
}

proctype seamldr_caller()
{
	byte c, u, w, saved;
	bit flags, cb;
#if CTX == 1
	/* seamldr_install_module(): stop_machine_cpuslocked() preempts every
	 * vCPU thread, multi_cpu_stop() disables IRQs everywhere, then each
	 * CPU runs seamldr_install() -> seamldr_call() under seamldr_lock. */
	atomic {
		running[0] == NONE && running[1] == NONE ->
		running[0] = LDR; running[1] = LDR;
		irqoff[0] = 1; irqoff[1] = 1;
		printf("EV stop_machine: P_SEAMLDR_INSTALL on every CPU\n")
	}
	c = 0; seamldr_call(c);
	c = 1; seamldr_call(c);
	atomic { irqoff[0] = 0; irqoff[1] = 0; running[0] = NONE; running[1] = NONE }
#else
	/* seamldr_version_show() -> seamldr_get_info() -> seamldr_call();
	 * CPUs are symmetric in this model, so the reader runs on CPU0. */
	atomic {
		running[0] == NONE -> running[0] = LDR; c = 0;
		printf("EV CPU0 sysfs read: P_SEAMLDR_INFO\n")
	}
	seamldr_call(c);
	running[c] = NONE
#endif
}

#if CTX == 3
/* rmmod kvm-intel; modprobe kvm-intel */
proctype kvm_module()
{
	nvcpu_alive == 0;		/* the last VM is gone */
	/* kvm_disable_virtualization(): cpuhp teardown clears (empty) lists,
	 * then the callback is unregistered like the emergency callback. */
	kvm_cb = 0;			/* rcu_assign_pointer(cb, NULL) */
	printf("EV kvm-intel unload: callback unregistered\n");
#ifndef MUTANT_NOSYNC
	rcu_readers == 0;		/* synchronize_rcu() */
#endif
	kvm_text = 0;			/* module text freed */
	printf("EV kvm-intel text freed\n");
	kvm_text = 1;			/* modprobe kvm-intel */
	kvm_cb = HAS_CB			/* register callback again */
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
		run kvm_module();
#endif
	}
}
