package dynamotest

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes dynalite exit when the test process does, even when
// that process ends without running Main's cleanup (a panic, a timeout).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
