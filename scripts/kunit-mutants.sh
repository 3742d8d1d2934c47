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
arch/x86/virt/hw.c|/^void x86_virt_unregister_vmclear_callback/,/^}/s/synchronize_rcu();/;/|vmclear_unregister_waits_for_cb|no synchronize_rcu() on unregistration
arch/x86/virt/hw.c|s/if (WARN_ON_ONCE(rcu_access_pointer(kvm_vmclear_callback)))/if (0)/|vmclear_cb_misuse_warns|no check for a taken slot
arch/x86/virt/hw.c|s/if (WARN_ON_ONCE(rcu_access_pointer(kvm_vmclear_callback) != callback))/if (0)/|vmclear_cb_misuse_warns|no check for a foreign unregistration
arch/x86/virt/hw.c|s/if (WARN_ON_ONCE(!in_task() .. !irqs_disabled()))/if (WARN_ON_ONCE(!in_task()))/|vmclear_invoke_refused_with_irqs_on|invocation with IRQs enabled not refused
arch/x86/virt/hw.c|s/if (WARN_ON_ONCE(!in_task() .. !irqs_disabled()))/if (WARN_ON_ONCE(!irqs_disabled()))/|vmclear_invoke_refused_in_irq|invocation from IRQ context not refused
arch/x86/virt/vmx/tdx/seamldr.c|s/if (WARN_ON_ONCE(!this_cpu_read(seamldr_calls_begun)))/if (0)/|calls_refused_outside_bracket|P-SEAMLDR calls outside a bracket not refused
arch/x86/virt/vmx/tdx/seamldr.c|s/this_cpu_write(seamldr_calls_begun, false);/;/|calls_made_inside_bracket|seamldr_end_calls() leaves calls allowed
arch/x86/virt/vmx/tdx/seamldr.c|s/^\tif (boot_cpu_has_bug(X86_BUG_SEAMRET_INVD_VMCS)) {$/\tif (true) {/|bracket_vmclears_with_bug_only|VMCLEAR whether or not the CPU has the bug
arch/x86/virt/vmx/tdx/seamldr.c|s/^\t\tret = x86_virt_invoke_vmclear_callback();$/\t\tret = 0;/|bracket_vmclears_with_bug_only|no VMCLEAR before P-SEAMLDR calls
arch/x86/virt/vmx/tdx/seamldr.c|/case MODULE_UPDATE_CPU_PREPARE:/,/break;/s/seamldr_begin_calls();/0;/;/case MODULE_UPDATE_CPU_INSTALL:/,/break;/s/seamldr_install(seamldr_params);/(seamldr_begin_calls() ?: seamldr_install(seamldr_params));/|update_vmclears_every_cpu_before_shutdown|the VMCLEAR at each P-SEAMLDR call, after the shutdown (v3)
arch/x86/virt/vmx/tdx/seamldr.c|/case MODULE_UPDATE_CPU_PREPARE:/,/break;/s/seamldr_begin_calls();/(is_lead_cpu ? seamldr_begin_calls() : 0);/|update_vmclears_every_cpu_before_shutdown|the VMCLEAR on the lead CPU only
arch/x86/virt/vmx/tdx/seamldr.c|/case MODULE_UPDATE_CPU_PREPARE:/,/break;/s/seamldr_begin_calls();/-EINVAL;/|update_vmclears_every_cpu_before_shutdown|the VMCLEAR step refuses: the update ends before the shutdown
arch/x86/virt/vmx/tdx/seamldr.c|s/return update_ctrl.state <= MODULE_UPDATE_SHUTDOWN ? -EBUSY : -EIO;/return ret;/|update_result_says_what_runs|a failed update doesn't say whether the old module runs
arch/x86/virt/vmx/tdx/seamldr.c|s/update_ctrl.state <= MODULE_UPDATE_SHUTDOWN ?/update_ctrl.state < MODULE_UPDATE_SHUTDOWN ?/|update_result_says_what_runs|a refused shutdown reported as a failure after it (-EIO)
arch/x86/virt/vmx/tdx/seamldr.c|/^static int update_result/,/^}/s/if (update_ctrl.refused)/if (0)/|update_result_says_what_runs|an update refused before the shutdown reported as one that failed in it
arch/x86/virt/vmx/tdx/seamldr.c|/^static int seamldr_refuse/,/^}/s/if (!seamldr_trigger \&\& !tdx_get_sysinfo()) {/if (0) {/|update_vmclears_every_cpu_before_shutdown|no check that a module runs before shutting it down
arch/x86/virt/hw.c|/^int x86_virt_register_vmclear_callback/,/^}/s/return -EBUSY;/return 0;/|vmclear_cb_misuse_warns|a second registration reported as a success
arch/x86/virt/vmx/tdx/seamldr.c|/^int seamldr_get_info(/,/^}/s/^\tif (seamldr_info_err)$/\tif (seamldr_read_info())/|info_reads_make_no_call|reads of SEAMLDR_INFO make a P-SEAMLDR call
MUTANTS
echo "kunit-mutants: $(($(now) - t0)) s"
tap_close
