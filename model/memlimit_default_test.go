package model

import (
	"testing"
	"testing/fstest"
)

const meminfo8G = "MemTotal:        8388608 kB\nMemFree:         1000 kB\n"

// memoryLimitCases are the machines defaultMemoryLimit is tried on: the
// files it reads, and the limit it must give.
var memoryLimitCases = []struct {
	name  string
	files map[string]string
	want  int64
	from  string
}{
	{"no cgroup", map[string]string{"proc/meminfo": meminfo8G}, 8 << 30 / 10 * 8, "80% of RAM"},
	{"v2 limit", map[string]string{
		"proc/meminfo":                    meminfo8G,
		"proc/self/cgroup":                "0::/ci/job\n",
		"sys/fs/cgroup/ci/job/memory.max": "2147483648\n",
		"sys/fs/cgroup/ci/memory.max":     "max\n",
	}, 2 << 30, "the cgroup limit"},
	{"v2 parent lower", map[string]string{
		"proc/meminfo":                    meminfo8G,
		"proc/self/cgroup":                "0::/ci/job\n",
		"sys/fs/cgroup/ci/job/memory.max": "max\n",
		"sys/fs/cgroup/ci/memory.max":     "1073741824\n",
	}, 1 << 30, "the cgroup limit"},
	{"v2 namespace root", map[string]string{
		"proc/meminfo":             meminfo8G,
		"proc/self/cgroup":         "0::/\n",
		"sys/fs/cgroup/memory.max": "7516192768\n",
	}, 8 << 30 / 10 * 8, "80% of RAM"}, // 7 GiB is above 80% of 8 GiB
	{"v2 no limit", map[string]string{
		"proc/meminfo":             meminfo8G,
		"proc/self/cgroup":         "0::/\n",
		"sys/fs/cgroup/memory.max": "max\n",
	}, 8 << 30 / 10 * 8, "80% of RAM"},
	{"v1 limit", map[string]string{
		"proc/meminfo":     meminfo8G,
		"proc/self/cgroup": "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n",
		"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": "536870912\n",
	}, 512 << 20, "the cgroup limit"},
	{"v1 no limit", map[string]string{
		"proc/meminfo":     meminfo8G,
		"proc/self/cgroup": "4:memory:/\n",
		"sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
	}, 8 << 30 / 10 * 8, "80% of RAM"},
	{"v1 cgroup not mounted", map[string]string{
		"proc/meminfo":     meminfo8G,
		"proc/self/cgroup": "4:memory:/elsewhere\n",
		"sys/fs/cgroup/memory/memory.limit_in_bytes": "1073741824\n",
	}, 1 << 30, "the cgroup limit"},
	{"cgroup only", map[string]string{
		"proc/self/cgroup":         "0::/\n",
		"sys/fs/cgroup/memory.max": "1073741824\n",
	}, 1 << 30, "the cgroup limit"},
	{"nothing readable", map[string]string{"proc/meminfo": "MemFree: 12 kB\n"}, 0, ""},
}

func TestDefaultMemoryLimit(t *testing.T) {
	for _, tc := range memoryLimitCases {
		root := fstest.MapFS{}
		for name, text := range tc.files {
			root[name] = &fstest.MapFile{Data: []byte(text)}
		}
		got, from := defaultMemoryLimit(root)
		if got != tc.want || from != tc.from {
			t.Errorf("%s: %d (%s), want %d (%s)", tc.name, got, from, tc.want, tc.from)
		}
	}
	if got, _ := DefaultMemoryLimit(); got <= 0 {
		t.Errorf("this machine's default limit is %d", got)
	}
}
