package io.netprobe.agent.probe;

/**
 * What the SSH steps found. {@code hostKeyCheck} is MATCH, MISMATCH, UNKNOWN (not in known_hosts)
 * or NOT_CHECKED. Never holds a secret.
 */
public record SshDetails(
    String banner,
    String hostKeyType,
    String hostKeyFingerprint,
    String hostKeyCheck,
    String user,
    String authMethod,
    String command,
    String commandOutput,
    Integer exitStatus,
    String failedStep) {}
