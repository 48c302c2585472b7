package io.kafkube.scheduler.framework;

import java.util.List;

/** The plugins of a scheduler, in the order filters run, and the weight of each score. */
public record Profile(List<FilterPlugin> filters, List<WeightedScore> scores) {
  public record WeightedScore(ScorePlugin plugin, int weight) {}

  public Profile {
    filters = List.copyOf(filters);
    scores = List.copyOf(scores);
  }
}
