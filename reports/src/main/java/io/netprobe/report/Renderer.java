package io.netprobe.report;

import io.netprobe.report.model.RunResult;

/** One report format: a finished run in, the file's text out. Formats, never explains. */
interface Renderer {
  String render(RunResult run, Options options);
}
