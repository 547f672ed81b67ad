package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMeasureColdStart measures the built bootstrap's cold start for the
// bundled gateway.yaml; it runs only when LAMBDA_MEASURE is the number of
// cold starts, and asserts nothing (docs/benchmarks.md records its output):
//
//	LAMBDA_MEASURE=20 go test -count=1 -run TestMeasureColdStart -v ./cmd/lambda/
//
// Init is process start (exec) to the first /invocation/next; the first
// request is from the stand-in handing out the event to the response
// being posted; memory is the process's resident set after it.
func TestMeasureColdStart(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("LAMBDA_MEASURE"))
	if runs <= 0 {
		t.Skip("set LAMBDA_MEASURE=N to measure N cold starts")
	}
	s := startStack(t)
	path, err := buildBootstrap()
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err == nil {
		t.Logf("bootstrap: %.1f MiB (-tags lambda.norpc -trimpath -ldflags '-s -w')", float64(fi.Size())/(1<<20))
	}
	ev := spanningEvents(t)["HTTP API"]
	var inits, firsts, warms []time.Duration
	var rss, hwm []int
	var builds []time.Duration
	for range runs {
		api := newRuntimeAPI(t)
		start := time.Now()
		cmd, stderr := startBootstrap(t, api, s)
		first := api.waitForNext(t, cmd)
		inits = append(inits, first.Sub(start))
		sent := time.Now()
		if res := api.invoke(ev); res.Kind != "response" {
			t.Fatalf("%s %s", res.Kind, res.Body)
		} else {
			firsts = append(firsts, res.Posted.Sub(sent))
		}
		r, h := memory(t, cmd.Process.Pid)
		rss, hwm = append(rss, r), append(hwm, h)
		sent = time.Now()
		if res := api.invoke(ev); res.Kind == "response" {
			warms = append(warms, res.Posted.Sub(sent))
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		builds = append(builds, buildTime(stderr.String()))
	}
	t.Logf("init (exec → first /next): %s", summary(inits))
	t.Logf("baseline, a trivial Go function's init: %s", trivialInit(t, runs))
	t.Logf("of which main's build (config, artifact, gateway): %s", summary(builds))
	t.Logf("first request (6 subgraphs): %s", summary(firsts))
	t.Logf("second (warm) request: %s", summary(warms))
	slices.Sort(rss)
	slices.Sort(hwm)
	t.Logf("RSS after the first request: median %d KiB (peak VmHWM median %d KiB)", rss[len(rss)/2], hwm[len(hwm)/2])
	t.Logf("package init, top 8 (GODEBUG=inittrace=1):\n%s", initTrace(t, path, s))
}

func summary(ds []time.Duration) string {
	slices.Sort(ds)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	return fmt.Sprintf("min %s, median %s, max %s over %d runs", ms(ds[0]), ms(ds[len(ds)/2]), ms(ds[len(ds)-1]), len(ds))
}

// memory reads the process's VmRSS and VmHWM in KiB.
func memory(t *testing.T, pid int) (rss, hwm int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Logf("memory: %v", err)
		return 0, 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "VmRSS:" {
			rss, _ = strconv.Atoi(f[1])
		}
		if len(f) >= 2 && f[0] == "VmHWM:" {
			hwm, _ = strconv.Atoi(f[1])
		}
	}
	return rss, hwm
}

// initTrace runs the bootstrap once with GODEBUG=inittrace=1 and returns
// the costliest package inits.
func initTrace(t *testing.T, path string, s *stack) string {
	api := newRuntimeAPI(t)
	cmd := exec.Command(path)
	cmd.Dir = s.taskRoot
	cmd.Env = append(append(os.Environ(), s.env...), "GODEBUG=inittrace=1",
		"AWS_LAMBDA_RUNTIME_API="+api.addr(), "LAMBDA_TASK_ROOT="+s.taskRoot)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	api.waitForNext(t, cmd)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	type pkg struct {
		name string
		ms   float64
		line string
	}
	var pkgs []pkg
	var total float64
	for line := range strings.Lines(stderr.String()) {
		f := strings.Fields(line)
		if len(f) < 5 || f[0] != "init" {
			continue
		}
		ms, _ := strconv.ParseFloat(f[4], 64)
		total += ms
		pkgs = append(pkgs, pkg{f[1], ms, strings.TrimSpace(line)})
	}
	slices.SortFunc(pkgs, func(a, b pkg) int { return int((b.ms - a.ms) * 1000) })
	var out strings.Builder
	fmt.Fprintf(&out, "  all %d package inits: %.1f ms\n", len(pkgs), total)
	for _, p := range pkgs[:min(8, len(pkgs))] {
		fmt.Fprintf(&out, "  %s\n", p.line)
	}
	return out.String()
}

// buildTime reads the build_ms the bootstrap logs once initialized.
func buildTime(stderr string) time.Duration {
	_, after, ok := strings.Cut(stderr, `"build_ms":`)
	if !ok {
		return 0
	}
	end := strings.IndexAny(after, ",}")
	ms, _ := strconv.ParseFloat(after[:max(end, 0)], 64)
	return time.Duration(ms * float64(time.Millisecond))
}

// trivialInit measures the init of the smallest Go function
// (testdata/trivial), built the same way, under the same conditions.
func trivialInit(t *testing.T, runs int) string {
	path := filepath.Join(t.TempDir(), "trivial")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", path, "./testdata/trivial")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var inits []time.Duration
	for range runs {
		api := newRuntimeAPI(t)
		fn := exec.Command(path)
		fn.Env = append(os.Environ(), "AWS_LAMBDA_RUNTIME_API="+api.addr())
		start := time.Now()
		if err := fn.Start(); err != nil {
			t.Fatal(err)
		}
		inits = append(inits, api.waitForNext(t, fn).Sub(start))
		_ = fn.Process.Kill()
		_ = fn.Wait()
	}
	return summary(inits)
}
