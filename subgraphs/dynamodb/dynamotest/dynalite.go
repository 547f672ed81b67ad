// Package dynamotest runs a real DynamoDB-compatible server for tests:
// dynalite (tools/dynalite), started on a free loopback port, behind an
// HTTP proxy that counts DynamoDB calls by operation, tracks how many are
// in flight at once and can inject throttling and 5xx answers.
//
// Install dynalite with `npm ci --prefix tools/dynalite`. Without it,
// tests that need it skip, except when CI=true, where they fail.
package dynamotest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// InstallHint says how to install dynalite.
const InstallHint = "dynalite is not installed; run `make dynalite` (or `npm ci --prefix tools/dynalite`) in the repository root (needs node and npm)"

// Server is a running dynalite behind a counting, fault-injecting proxy.
type Server struct {
	// URL is the proxy's endpoint: what gateway.yaml's endpoint names.
	URL string
	// DirectURL reaches dynalite without the proxy (for seeding).
	DirectURL string
	*Proxy
	cmd    *exec.Cmd
	proxy  *httptest.Server
	output *bytes.Buffer
}

var (
	sharedOnce sync.Once
	shared     *Server
	sharedErr  error
)

// Shared returns the package's server, started on first use; Main stops
// it. It also sets dummy AWS credentials and a region in the process's
// environment, so that the SDK's default chain finds them.
func Shared(t testing.TB) *Server {
	t.Helper()
	sharedOnce.Do(func() {
		for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "dynalite", "AWS_SECRET_ACCESS_KEY": "dynalite",
			"AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"} {
			os.Setenv(k, v)
		}
		shared, sharedErr = start()
	})
	if errors.Is(sharedErr, errNotInstalled) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v (CI never passes by skipping)", sharedErr)
		}
		t.Skip(sharedErr.Error())
	}
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// Main runs the tests and stops the shared server: call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		shared.Close()
	}
	return code
}

var errNotInstalled = errors.New(InstallHint)

// start launches dynalite on a free loopback port and the proxy before it.
func start() (*Server, error) {
	cli, err := cliPath()
	if err != nil {
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("%w (node is not on PATH)", errNotInstalled)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{output: &bytes.Buffer{}}
	s.cmd = exec.Command(node, cli, "--host", "127.0.0.1", "--port", fmt.Sprint(port),
		"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
	s.cmd.Stdout, s.cmd.Stderr = s.output, s.output
	dieWithParent(s.cmd)
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting dynalite: %w", err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if err := waitListening(addr, 20*time.Second); err != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		return nil, fmt.Errorf("dynalite did not listen on %s: %w; its output: %s", addr, err, s.output)
	}
	s.DirectURL = "http://" + addr
	s.Proxy = newProxy(s.DirectURL)
	s.proxy = httptest.NewServer(s.Proxy)
	s.URL = s.proxy.URL
	return s, nil
}

// Close stops the proxy and dynalite.
func (s *Server) Close() {
	s.proxy.Close()
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// cliPath finds tools/dynalite's cli.js above the working directory.
func cliPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			cli := filepath.Join(dir, "tools", "dynalite", "node_modules", "dynalite", "cli.js")
			if _, err := os.Stat(cli); err != nil {
				return "", errNotInstalled
			}
			return cli, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory: %w", errNotInstalled)
		}
		dir = parent
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitListening(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
