//go:build !linux

package dynamotest

import "os/exec"

// dieWithParent does nothing where the OS has no parent-death signal:
// Main's cleanup stops dynalite.
func dieWithParent(*exec.Cmd) {}
