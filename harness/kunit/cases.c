/* The KUNIT_CASE list the kunit fixtures are judged against. */
static struct kunit_case vmcs_flush_test_cases[] = {
	KUNIT_CASE(flush_cb_register_invoke_unregister),
	KUNIT_CASE(seamldr_call_flushes_first_with_bug),
	KUNIT_CASE(seamldr_info_reads_make_no_call),
	{}
};
