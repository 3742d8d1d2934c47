/* The KUNIT_CASE list of seamldr_test.c that the kunit fixtures are judged against. */
static struct kunit_case vmcs_flush_test_cases[] = {
	KUNIT_CASE(flush_cb_register_invoke_unregister),
	KUNIT_CASE(flush_cb_double_registration_warns),
	KUNIT_CASE(flush_cb_foreign_unregistration_warns),
	KUNIT_CASE(flush_cb_invoke_warns_with_irqs_on),
	KUNIT_CASE(flush_cb_unregister_waits_for_callback),
	KUNIT_CASE(seamldr_call_flushes_first_with_bug),
	KUNIT_CASE(seamldr_call_flushes_once_per_call),
	KUNIT_CASE(seamldr_call_no_flush_without_bug),
	KUNIT_CASE(seamldr_call_without_callback),
	KUNIT_CASE(seamldr_info_reads_make_no_call),
	KUNIT_CASE(seamldr_info_failure_is_not_cached),
	{}
};
