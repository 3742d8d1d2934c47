#!/bin/sh
# calls-sensitive.sh: a stand-in "test" for under-calls.sh's negative step:
# passes unless P-SEAMLDR calls happen while it runs (the emulated CPU's
# count), then fails with 1.
c0=$(seamemu total seamcall)
sleep 2
[ "$(seamemu total seamcall)" = "$c0" ]
