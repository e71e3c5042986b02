// Command tcpcheck model-checks the TCP table.
package main
