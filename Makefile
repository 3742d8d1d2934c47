# seamldr-vmcs: the pipeline is  base -> patches -> tree -> build -> boot -> verdict
#
#   make            the main job: install what it needs, fetch the base, apply
#                   the series, build, boot the patched kernel in Bochs with
#                   VMX emulated, run the live plan, print the figures
#   make check      every test layer (CHECK_LAYERS below), each writing TAP to
#                   build/tap/LAYER.tap; counted once, by prove, at the end
#   make soak       not in make check: SOAK_CALLS updates (each a P-SEAMLDR
#                   call on every CPU) in nine rounds, every reading of
#                   SEAMRET, hotplug and kvm_intel reloads
#   make bench      not in make check: one boot that measures what the
#                   VMCLEAR costs updates and guests (e2e/bench.plan,
#                   scripts/bench.sh)
#   make designs    not in make check: every design of the thread (designs/),
#                   live under every reading, against the model's table
#   make e2e PLAN=selftests   upstream KVM selftests alone, under load and
#                   under calls (e2e/under-calls.sh)
#   SANITIZE=1      any of the Bochs runs on the KASAN/KFENCE/UBSAN kernel
#
# Stages (README.md): base | tree | export | build-e2e | selftests |
#   initramfs | emulator | boot | e2e (boot + verdict + figures) | series-check |
#   mbox | mbox-check | kunit | kunit-mutants | hotpath-check | docs-check |
#   model | check-harness | soak | bench

# Knobs, each with its one default, here.  Override on the command line
# (make e2e PLAN=smoke EMU_NCPU=2); the environment doesn't override them, and
# the scripts have no defaults of their own.
PLAN = live
CALLS = 250
CHECK_CALLS = 500
SOAK_CALLS = 20000
SOAK_TIMEOUT = 14400
BENCH_CALLS = 100
BENCH_TIMEOUT = 7200
DESIGNS = d0 d1 d2 d3 d4 d5
DESIGN_CALLS = 200
DESIGN_TIMEOUT = 3600
TIMEOUT = 3600
EMU_NCPU = 4
EMU_CPU = corei7_haswell_4770
EMU_CPU_OPTS =
EMU_MEGS = 1536
EMU_IPS = 50000000
EMU_SEAMRET = current
EMU_UPDATES = 1000000
CMDLINE =
SANITIZE = 0
DESIGN = series
FORCE = 0
OVERRIDE_VERSION =
OVERRIDE_SHA256 =

CHECK_LAYERS = check-harness model emulator-check tree series-check mbox-check kunit \
	kunit-mutants hotpath-check docs-check e2e

S := scripts
# The run directory of SANITIZE (configs/sanitizers.config) and DESIGN
# (designs/): build/out/run-PLAN[-san][-DESIGN] (lib.sh: e2e_kernel).
RUN := build/out/run-$(PLAN)$(if $(filter 1,$(SANITIZE)),-san)$(if $(filter-out series,$(DESIGN)),-$(DESIGN))
RUN_KNOBS = PLAN='$(PLAN)' CALLS='$(CALLS)' CMDLINE='$(CMDLINE)' SANITIZE='$(SANITIZE)' DESIGN='$(DESIGN)'
BOOT_KNOBS = PLAN='$(PLAN)' TIMEOUT='$(TIMEOUT)' EMU_NCPU='$(EMU_NCPU)' EMU_CPU='$(EMU_CPU)' \
	EMU_CPU_OPTS='$(EMU_CPU_OPTS)' \
	EMU_MEGS='$(EMU_MEGS)' EMU_IPS='$(EMU_IPS)' EMU_SEAMRET='$(EMU_SEAMRET)' \
	EMU_UPDATES='$(EMU_UPDATES)' SANITIZE='$(SANITIZE)' DESIGN='$(DESIGN)'
DEPS := deps-base deps-build deps-kunit deps-e2e deps-model deps-docs deps-harness

.PHONY: help all check stages-reset base tree design export build-e2e selftests initramfs emulator emulator-check boot e2e \
	series-check mbox mbox-check kunit kunit-mutants hotpath-check docs-check model \
	check-harness soak bench designs clean $(DEPS)

all: stages-reset deps-base deps-build deps-e2e
	@$(MAKE) --no-print-directory e2e; rc=$$?; $(S)/stages.sh; exit $$rc

# The header above, and every knob with its default, read from this file.
help:
	@sed -n '1,/^$$/s/^# \{0,1\}//p' Makefile
	@echo "Knobs (override on the command line, e.g. make e2e PLAN=smoke EMU_NCPU=2):"
	@sed -n '/^PLAN = /,/^$$/s/^\([A-Z_0-9]*\) =[ ]*\(.*\)$$/  \1=\2/p' Makefile


# The layers run through make with the check's own knobs, whatever the
# command line or the environment say; a failing layer doesn't stop the
# others, and the last line is 'N passed, N failed'.
check: stages-reset $(DEPS)
	@$(S)/check.sh $(CHECK_LAYERS) -- PLAN=live CALLS='$(CHECK_CALLS)' SANITIZE=0 DESIGN=series

# Every stage runs through stage.sh, which times it into build/stages.txt.
stages-reset:
	@mkdir -p build && : >build/stages.txt

$(DEPS):
	@$(S)/stage.sh $@ $(S)/deps.sh $(@:deps-%=%)

base: deps-base
	@$(S)/stage.sh $@ env OVERRIDE_VERSION='$(OVERRIDE_VERSION)' \
		OVERRIDE_SHA256='$(OVERRIDE_SHA256)' $(S)/base.sh

tree: base deps-build
	@$(S)/stage.sh $@ env FORCE='$(FORCE)' $(S)/tree.sh

export:
	@$(S)/export.sh

# DESIGN=NAME (not series): a design kernel, designs/NAME.series on the base.
design: tree
	@$(S)/stage.sh $@ env DESIGN='$(DESIGN)' $(S)/design.sh

build-e2e: design deps-build
	@$(S)/stage.sh $@ env SANITIZE='$(SANITIZE)' DESIGN='$(DESIGN)' $(S)/kbuild.sh e2e

selftests: build-e2e deps-e2e
	@$(S)/stage.sh $@ env SANITIZE='$(SANITIZE)' DESIGN='$(DESIGN)' $(S)/selftests.sh

initramfs: selftests
	@$(S)/stage.sh $@ env $(RUN_KNOBS) $(S)/initramfs.sh

# The emulated CPU: Bochs 3.0 with emulator/patches (SEAMCALL, SEAMRET's
# readings, the CPU's own record of active VMCSs).
emulator:
	@$(S)/stage.sh $@ $(S)/emulator.sh

emulator-check: emulator base deps-build deps-e2e
	@$(S)/stage.sh $@ $(S)/emulator-check.sh

boot: initramfs emulator
	@$(S)/stage.sh $@ env $(BOOT_KNOBS) $(S)/boot.sh

e2e: boot
	@$(S)/stage.sh verdict env $(RUN_KNOBS) $(S)/verdict.sh $(RUN) build/tap/e2e.tap; \
		rc=$$?; $(S)/figures.sh $(RUN); exit $$rc

# The soak (not in make check): the soak plan, SOAK_CALLS updates, summed.
soak: stages-reset deps-base deps-build deps-e2e
	@$(MAKE) --no-print-directory e2e PLAN=soak CALLS='$(SOAK_CALLS)' \
		TIMEOUT='$(SOAK_TIMEOUT)'; rc=$$?; \
		$(S)/soak.sh build/out/run-soak$(if $(filter 1,$(SANITIZE)),-san) || rc=1; \
		$(S)/stages.sh; exit $$rc

# The bench (not in make check): the bench plan, BENCH_CALLS calls per point.
bench: stages-reset deps-base deps-build deps-e2e
	@$(MAKE) --no-print-directory e2e PLAN=bench CALLS='$(BENCH_CALLS)' \
		TIMEOUT='$(BENCH_TIMEOUT)'; rc=$$?; \
		$(S)/bench.sh build/out/run-bench$(if $(filter 1,$(SANITIZE)),-san) || rc=1; \
		$(S)/stages.sh; exit $$rc

# Every design of the thread (not in make check): each design kernel of
# DESIGNS booted once, its guests run through DESIGN_CALLS updates under
# each reading (e2e/designs.plan), one table against the model's
# (scripts/designs.sh, build/out/designs.md).
designs: stages-reset deps-base deps-build deps-e2e
	@for d in $(DESIGNS); do $(MAKE) --no-print-directory e2e PLAN=designs DESIGN=$$d \
		CALLS='$(DESIGN_CALLS)' TIMEOUT='$(DESIGN_TIMEOUT)' || true; done; \
		$(S)/designs.sh $(foreach d,$(DESIGNS),build/out/run-designs-$(d)); rc=$$?; \
		$(S)/stages.sh; exit $$rc

series-check: tree
	@$(S)/stage.sh $@ $(S)/series-check.sh

mbox: tree
	@$(S)/stage.sh $@ $(S)/mbox.sh

mbox-check: tree
	@$(S)/stage.sh $@ $(S)/mbox-check.sh

kunit: tree deps-kunit
	@$(S)/stage.sh $@ $(S)/kunit.sh

kunit-mutants: tree deps-kunit
	@$(S)/stage.sh $@ $(S)/kunit-mutants.sh

hotpath-check: tree
	@$(S)/stage.sh $@ $(S)/hotpath-check.sh

docs-check: tree deps-docs
	@$(S)/stage.sh $@ $(S)/docs-check.sh

model: deps-model
	@$(S)/stage.sh $@ $(MAKE) --no-print-directory -C model check

check-harness: deps-harness
	@$(S)/stage.sh $@ $(S)/check-harness.sh

clean:
	rm -rf build/out build/tap
