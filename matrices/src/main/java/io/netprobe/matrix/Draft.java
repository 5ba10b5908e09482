package io.netprobe.matrix;

/**
 * A check as written (or as a mesh cell), before its references are resolved.
 *
 * @param from the source node's name and where it was written
 */
record Draft(
    YamlMap.Text from, YamlMap.Text to, YamlMap.Text probe, Settings settings, Location source) {}
