# seamldr-vmcs: the pipeline is  base -> patches -> tree -> build -> boot -> verdict
#
#   make            the main job: fetch, apply, build, boot the patched kernel
#                   in Bochs and run the end-to-end plan
#   make check      every test layer: series-check, kunit, hotpath-check,
#                   docs-check, model, e2e
#
# Stages:  make base | tree | export | build-e2e | series-check | kunit |
#          model | e2e         (details: README.md)
S := scripts
FRAGS := configs/base.config configs/e2e.config configs/debug.config

.PHONY: all check base tree export build-e2e series-check kunit model model-test e2e hotpath-check \
	docs-check kunit-mutants deps-docs \
	deps-build deps-kunit deps-e2e deps-model clean

all: deps-build deps-e2e
	@$(S)/stage.sh main $(MAKE) --no-print-directory e2e

check: deps-build deps-kunit deps-e2e deps-model deps-docs
	@$(S)/check.sh

deps-%:
	@$(S)/deps.sh base $*

base: deps-build
	@$(S)/base.sh

tree: deps-build
	@$(S)/tree.sh

export:
	@$(S)/export.sh

build-e2e: tree
	@$(S)/kbuild.sh e2e build/linux build/out/e2e "bzImage modules" -- $(FRAGS)

series-check: tree
	@$(S)/series-check.sh

kunit: tree deps-kunit
	@$(S)/kunit.sh

model: deps-model
	@if [ -f model/Makefile ]; then $(MAKE) --no-print-directory -C model; \
	else echo "model: not built yet"; fi

model-test: deps-model
	@if [ -f model/Makefile ]; then $(MAKE) --no-print-directory -C model test; \
	else echo "model: not built yet"; fi

e2e: build-e2e deps-e2e
	@$(S)/e2e.sh

clean:
	rm -rf build/out

hotpath-check: tree
	@$(S)/hotpath-check.sh

kunit-mutants: tree deps-kunit
	@$(S)/kunit-mutants.sh

docs-check: tree deps-docs
	@$(S)/docs-check.sh
