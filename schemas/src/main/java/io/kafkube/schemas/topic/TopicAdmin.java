package io.kafkube.schemas.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics of a catalogue that do not exist yet; existing topics are left as they are. */
public final class TopicAdmin {
  private TopicAdmin() {}

  /** Creates every missing topic of {@code topics}; returns the names it created. */
  public static List<String> ensureCreated(Admin admin, List<Topic<?, ?>> topics, short replicationFactor)
      throws InterruptedException {
    try {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (Topic<?, ?> t : topics) {
        if (!existing.contains(t.name())) {
          missing.add(t.newTopic(replicationFactor));
        }
      }
      if (missing.isEmpty()) {
        return List.of();
      }
      try {
        admin.createTopics(missing).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      return missing.stream().map(NewTopic::name).toList();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
