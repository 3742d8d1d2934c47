#!/bin/sh
# Layer kunit-mutants: each KUnit test of the series guards a line.  For
# every mutant below, weaken one line of build/linux, run the suite
# (kunit.sh, one incremental build and a QEMU boot each) and require the
# test named with it to FAIL; the tree is restored after each.  TAP:
# build/tap/kunit-mutants.tap.
. "$(dirname "$0")/../scripts/lib.sh"
t=$tree
restore() { git -C "$t" checkout -q -- arch/x86/virt; }
trap restore EXIT INT TERM
[ -z "$(git -C "$t" status --porcelain -uno)" ] || die "build/linux has uncommitted changes"
tap_open kunit-mutants
json=$out/kunit-mutant.json
t0=$(now)

# file | sed program | test that must fail | what the mutant drops
# ('|' separates the fields: write '||' in a sed program as '..')
while IFS='|' read -r file prog test what; do
	[ -n "$file" ] || continue
	sed -i "$prog" "$t/$file"
	if git -C "$t" diff --quiet -- "$file"; then
		not_ok "mutant '$what' applies to $file"
		continue
	fi
	"$top/scripts/kunit.sh" "$out/kunit-mutant.tap" "$json" >/dev/null 2>&1
	st=$(jq -r --arg t "$test" '.. | objects | select(has("test_cases")) | .test_cases[] |
		select(.name == $t) | .status' "$json" 2>/dev/null)
	if [ "$st" = FAIL ]; then
		ok "$what: $test fails"
	else
		not_ok "$what: $test ${st:-did not run}, expected FAIL"
		grep -E '^(ok|not ok) ' "$out/kunit-mutant.tap" | diag
	fi
	restore
done <<'MUTANTS'
arch/x86/virt/hw.c|/^void x86_virt_unregister_vmcs_flush_callback/,/^}/s/synchronize_rcu();/;/|flush_cb_unregister_waits_for_callback|no synchronize_rcu() on unregister
arch/x86/virt/hw.c|s/if (cmpxchg(&kvm_vmcs_flush_callback, NULL, RCU_INITIALIZER(callback)))/if (xchg(\&kvm_vmcs_flush_callback, RCU_INITIALIZER(callback)) \&\& 0)/|flush_cb_double_registration_fails|no check for a taken slot
arch/x86/virt/hw.c|/^void x86_virt_unregister_vmcs_flush_callback/,/^}/s/if (WARN_ON_ONCE(rcu_access_pointer(kvm_vmcs_flush_callback) != callback))/if (0)/|flush_cb_foreign_unregistration_warns|no foreign-unregistration check
arch/x86/virt/hw.c|s/if (WARN_ON_ONCE(!irqs_disabled() .. !in_task()))/if (WARN_ON_ONCE(!in_task()))/|flush_cb_invoke_refused_with_irqs_on|invoke with IRQs enabled not refused
arch/x86/virt/hw.c|s/if (WARN_ON_ONCE(!irqs_disabled() .. !in_task()))/if (WARN_ON_ONCE(!irqs_disabled()))/|flush_cb_invoke_refused_in_irq|invoke from IRQ context not refused
arch/x86/virt/vmx/tdx/seamldr.c|/^static int seamldr_call(/,/^}/s/if (WARN_ON_ONCE(!in_task()))/if (0)/|seamldr_call_refused_in_irq|seamldr_call() from IRQ context not refused
arch/x86/virt/vmx/tdx/seamldr.c|s/ret = x86_virt_invoke_vmcs_flush_callback();/ret = 0;/|seamldr_call_flushes_first_with_bug|no flush before the SEAMCALL
arch/x86/virt/vmx/tdx/seamldr.c|/^static int seamldr_call(/,/^}/s/guard(irqsave)();/guard(preempt)();/|seamldr_call_flushes_first_with_bug|the flush and the SEAMCALL without IRQs off
arch/x86/virt/vmx/tdx/seamldr.c|/^static int seamldr_call(/,/^}/{s/guard(irqsave)();/guard(raw_spinlock_irqsave)(\&seamldr_lock);/;s/guard(raw_spinlock)(&seamldr_lock);//}|seamldr_call_flushes_first_with_bug|the flush under seamldr_lock, serialized across CPUs
arch/x86/virt/vmx/tdx/seamldr.c|s/if (boot_cpu_has_bug(X86_BUG_SEAMRET_INVD_VMCS)) {$/if (true) {/|seamldr_call_no_flush_without_bug|flush regardless of the bug
arch/x86/virt/vmx/tdx/seamldr.c|/^int seamldr_get_info(/,/^}/s/^\tif (seamldr_info_err)$/\tif (__seamldr_refresh_info())/|seamldr_info_reads_make_no_call|reads query the P-SEAMLDR
arch/x86/virt/vmx/tdx/seamldr.c|/^int seamldr_get_info(/,/^}/s/^\tif (seamldr_info_err)$/\tif (seamldr_info_err \&\& __seamldr_refresh_info())/|seamldr_info_failure_kept_until_query|reads retry a failed query
arch/x86/virt/vmx/tdx/seamldr.c|s/^\t\tret = x86_virt_invoke_vmcs_flush_callback();/\t\tret = 0; x86_virt_invoke_vmcs_flush_callback();/|seamldr_call_refused_when_flush_fails|SEAMCALL despite a failed flush
arch/x86/virt/hw.c|s/return kvm_callback ? kvm_callback() : 0;/return kvm_callback ? (kvm_callback(), 0) : 0;/|seamldr_call_refused_when_flush_fails|the callback's error dropped
MUTANTS
echo "kunit-mutants: $(($(now) - t0)) s"
tap_close
