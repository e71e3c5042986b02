package model

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
)

// DefaultMemoryLimit is the memory limit for a search when the caller
// gives none: the lower of the memory limit of the process's cgroup
// (cgroup v2 memory.max, else v1 memory.limit_in_bytes, the lowest of its
// cgroup and their ancestors) and 80% of the machine's memory (MemTotal);
// 0 when neither can be read. It says which one it is.
func DefaultMemoryLimit() (int64, string) { return defaultMemoryLimit(os.DirFS("/")) }

// defaultMemoryLimit is DefaultMemoryLimit on the file system root, in which
// it reads proc/self/cgroup, proc/meminfo and sys/fs/cgroup.
func defaultMemoryLimit(root fs.FS) (int64, string) {
	limit, from := int64(0), ""
	if total := memTotal(root); total > 0 {
		limit, from = total/10*8, "80% of RAM"
	}
	if cg := cgroupLimit(root); cg > 0 && (limit == 0 || cg < limit) {
		limit, from = cg, "the cgroup limit"
	}
	return limit, from
}

// memTotal is MemTotal of proc/meminfo in bytes, or 0.
func memTotal(root fs.FS) int64 {
	b, err := fs.ReadFile(root, "proc/meminfo")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// cgroupLimit is the memory limit of the process's cgroup, or 0 when it
// has none or none can be read: cgroup v2 first, v1 as a fallback.
func cgroupLimit(root fs.FS) int64 {
	b, err := fs.ReadFile(root, "proc/self/cgroup")
	if err != nil {
		return 0
	}
	var v1 string
	v2, hasV2 := "", false
	for _, line := range strings.Split(string(b), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			v2, hasV2 = parts[2], true
		}
		for _, c := range strings.Split(parts[1], ",") {
			if c == "memory" {
				v1 = parts[2]
			}
		}
	}
	if hasV2 {
		if l := lowestLimit(root, "sys/fs/cgroup", v2, "memory.max"); l > 0 {
			return l
		}
	}
	if v1 != "" {
		return lowestLimit(root, "sys/fs/cgroup/memory", v1, "memory.limit_in_bytes")
	}
	return 0
}

// lowestLimit is the lowest limit in the file named file of cgroup dir
// under mount and of its ancestors, or 0 if none has one. When the
// cgroup's own directory is not there (the mount shows the process's
// cgroup as its root), the mount's root counts.
func lowestLimit(root fs.FS, mount, dir, file string) int64 {
	var low int64
	found := false
	for d := path.Clean("/" + dir); ; d = path.Dir(d) {
		if l, ok := readLimit(root, path.Join(mount, d, file)); ok {
			found = true
			if l > 0 && (low == 0 || l < low) {
				low = l
			}
		}
		if d == "/" {
			break
		}
	}
	if !found {
		return 0
	}
	return low
}

// readLimit reads a cgroup limit file: a number of bytes, or "max" (no
// limit, 0). A v1 "no limit" is a number near 2^63, which any real
// memory is below.
func readLimit(root fs.FS, name string) (int64, bool) {
	b, err := fs.ReadFile(root, name)
	if err != nil {
		return 0, false
	}
	s := strings.TrimSpace(string(b))
	if s == "max" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n >= 1<<62 {
		return 0, true
	}
	return n, true
}
