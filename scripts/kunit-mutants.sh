#!/bin/sh
# make kunit-mutants: show that each KUnit test of the series guards a line.
# For every mutant below, remove or weaken one line of the patched kernel
# in build/linux, run the suite, and require the named test to FAIL; the
# tree is restored after each run.  Slow (one incremental build each).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
t=$top/build/linux
hw=arch/x86/virt/hw.c
sl=arch/x86/virt/vmx/tdx/seamldr.c
pass=0 fail=0
restore() { git -C "$t" checkout -q -- "$hw" "$sl"; }
trap restore EXIT INT TERM
[ -z "$(git -C "$t" status --porcelain -uno)" ] ||
	{ echo "kunit-mutants: build/linux has uncommitted changes" >&2; exit 1; }

# file | sed program | test that must fail | what the mutant drops
while IFS='|' read -r file prog test what; do
	[ -n "$file" ] || continue
	sed -i "$prog" "$t/$file"
	if git -C "$t" diff --quiet -- "$file"; then
		echo "not ok - mutant '$what' did not apply"; fail=$((fail + 1)); continue
	fi
	KUNIT_FILTER=tdx_seamldr_vmcs_flush "$top/scripts/kunit.sh" >/dev/null 2>&1
	if grep -q "^\[..:..:..\] \[FAILED\] $test\$" "$top/build/out/kunit.log"; then
		echo "ok - $what: $test fails"; pass=$((pass + 1))
	else
		echo "not ok - $what: $test still passes"; fail=$((fail + 1))
		grep -E '\[(PASSED|FAILED|SKIPPED|CRASHED)\]' "$top/build/out/kunit.log" | sed 's/^/#   /' | head -14
	fi
	restore
done <<'MUTANTS'
arch/x86/virt/hw.c|/^void x86_virt_unregister_vmcs_flush_callback/,/^}/s/synchronize_rcu();/;/|flush_cb_unregister_waits_for_callback|no synchronize_rcu() on unregister
arch/x86/virt/hw.c|/^void x86_virt_register_vmcs_flush_callback/,/^}/s/if (WARN_ON_ONCE(rcu_access_pointer(kvm_vmcs_flush_callback)))/if (0)/|flush_cb_double_registration_warns|no double-registration check
arch/x86/virt/hw.c|/^void x86_virt_unregister_vmcs_flush_callback/,/^}/s/if (WARN_ON_ONCE(rcu_access_pointer(kvm_vmcs_flush_callback) != callback))/if (0)/|flush_cb_foreign_unregistration_warns|no foreign-unregistration check
arch/x86/virt/hw.c|s/^\tWARN_ON_ONCE(!irqs_disabled());/;/|flush_cb_invoke_warns_with_irqs_on|no IRQs-off assertion
arch/x86/virt/vmx/tdx/seamldr.c|s/^\t\tx86_virt_invoke_vmcs_flush_callback();/\t\t(void)0;/|seamldr_call_flushes_first_with_bug|no callback before the SEAMCALL
arch/x86/virt/vmx/tdx/seamldr.c|s/guard(raw_spinlock_irqsave)(&seamldr_lock);/guard(raw_spinlock)(\&seamldr_lock);/|seamldr_call_flushes_first_with_bug|seamldr_lock without IRQs off
arch/x86/virt/vmx/tdx/seamldr.c|s/if (boot_cpu_has_bug(X86_BUG_SEAMRET_INVD_VMCS))$/if (true)/|seamldr_call_no_flush_without_bug|flush regardless of the bug
arch/x86/virt/vmx/tdx/seamldr.c|s/if (!seamldr_info_cached) {/if (true) {/|seamldr_info_reads_make_no_call|no SEAMLDR_INFO copy
arch/x86/virt/vmx/tdx/seamldr.c|s/seamldr_info_cached = !ret;/seamldr_info_cached = true;/|seamldr_info_failure_is_not_cached|failed query cached
MUTANTS
echo "kunit-mutants: $pass passed, $fail failed"
# Leave the build matching the tree again.
KUNIT_FILTER=tdx_seamldr_vmcs_flush "$top/scripts/kunit.sh" >/dev/null 2>&1 || true
[ "$fail" = 0 ]
