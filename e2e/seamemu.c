// SPDX-License-Identifier: GPL-2.0
/*
 * seamemu: the emulated CPU's test-only MSRs (emulator/README.md), for the
 * guest's shell helpers, through /dev/cpu/N/msr.
 *
 *   seamemu counters          one line per online CPU:
 *                             cpuN seamcall=N seamret_current=N seamret_active=N
 *                             seamret_cleared=N i3=N found_current=N found_active=N
 *   seamemu total FIELD       FIELD summed over the online CPUs
 *   seamemu reading [NAME]    the SEAMRET reading: print it, or set it to
 *                             none, pointer, current or all
 *
 * Exits 1, saying why, if the CPU is not the project's emulated one.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MSR_ID		0x53450000u
#define MSR_SEAMRET	0x53450001u
#define MAGIC		0x5345414d454d5501ull

static const struct { const char *name; uint32_t msr; } fields[] = {
	{ "seamcall", 0x53450015 }, { "seamret_current", 0x53450016 },
	{ "seamret_active", 0x53450017 }, { "seamret_cleared", 0x53450018 },
	{ "i3", 0x53450019 }, { "found_current", 0x5345001b },
	{ "found_active", 0x5345001c },
};
#define NR_FIELDS (sizeof(fields) / sizeof(fields[0]))
static const char *readings[] = { "none", "pointer", "current", "all" };

static int msr_io(int cpu, uint32_t msr, uint64_t *val, int write)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
	fd = open(path, write ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		return -1;
	ok = (write ? pwrite(fd, val, 8, msr) : pread(fd, val, 8, msr)) == 8;
	close(fd);
	return ok ? 0 : -1;
}

static int online(int cpu)
{
	uint64_t v;

	return !msr_io(cpu, MSR_ID, &v, 0) && v == MAGIC;
}

int main(int argc, char **argv)
{
	uint64_t v, sum = 0;
	unsigned int f, r;
	int cpu;

	if (!online(0)) {
		fprintf(stderr, "seamemu: CPU 0 is not the project's emulated CPU (or no /dev/cpu/0/msr)\n");
		return 1;
	}
	if (argc == 2 && !strcmp(argv[1], "counters")) {
		for (cpu = 0; cpu < 1024; cpu++) {
			if (!online(cpu))
				continue;
			printf("cpu%d", cpu);
			for (f = 0; f < NR_FIELDS; f++) {
				if (msr_io(cpu, fields[f].msr, &v, 0))
					return 1;
				printf(" %s=%llu", fields[f].name, (unsigned long long)v);
			}
			printf("\n");
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "total")) {
		for (f = 0; f < NR_FIELDS && strcmp(argv[2], fields[f].name); f++)
			;
		if (f == NR_FIELDS) {
			fprintf(stderr, "seamemu: no counter '%s'\n", argv[2]);
			return 1;
		}
		for (cpu = 0; cpu < 1024; cpu++)
			if (online(cpu) && !msr_io(cpu, fields[f].msr, &v, 0))
				sum += v;
		printf("%llu\n", (unsigned long long)sum);
		return 0;
	}
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "reading")) {
		if (argc == 2) {
			if (msr_io(0, MSR_SEAMRET, &v, 0) || v > 3)
				return 1;
			printf("%s\n", readings[v]);
			return 0;
		}
		for (r = 0; r < 4 && strcmp(argv[2], readings[r]); r++)
			;
		v = r;
		if (r == 4 || msr_io(0, MSR_SEAMRET, &v, 1)) {
			fprintf(stderr, "seamemu: can't set the reading to '%s'\n", argv[2]);
			return 1;
		}
		return 0;
	}
	fprintf(stderr, "usage: seamemu counters | total FIELD | reading [none|pointer|current|all]\n");
	return 1;
}
