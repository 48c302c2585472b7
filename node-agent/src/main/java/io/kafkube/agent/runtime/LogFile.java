package io.kafkube.agent.runtime;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * A container instance's log as a file in the CRI log format ({@link CriLogLine}), for readers that
 * follow it: {@code ended} completes once the instance has ended and everything it printed is in the file.
 *
 * @param running whether the instance was running when asked
 */
public record LogFile(Path path, boolean running, CompletionStage<?> ended) {}
