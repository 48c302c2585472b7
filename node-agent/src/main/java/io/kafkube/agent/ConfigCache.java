package io.kafkube.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.agent.env.ConfigSource;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericRecord;

/** The ConfigMaps and Secrets of the cluster as the agent's pods see them: a view of their state topics. */
final class ConfigCache implements ConfigSource, TopicFollower.Handler {
  static final ResourceType CONFIGMAPS = ResourceRegistry.kubernetes().byGroupResource("configmaps").orElseThrow();
  static final ResourceType SECRETS = ResourceRegistry.kubernetes().byGroupResource("secrets").orElseThrow();

  private final Map<String, Map<String, String>> data = new ConcurrentHashMap<>();
  private final Runnable onChange;
  private volatile boolean ready;

  ConfigCache(Runnable onChange) {
    this.onChange = onChange;
  }

  @Override
  public void record(String topic, String key, GenericRecord value) {
    if (value == null) {
      data.remove(key);
      return;
    }
    JsonNode json = KubeJson.toJson(value);
    Map<String, String> m = new LinkedHashMap<>();
    boolean secret = key.startsWith(SECRETS.keyPrefix());
    json.path("data").fields().forEachRemaining(e -> m.put(e.getKey(), secret
        ? new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)
        : e.getValue().asText()));
    if (!secret) {
      json.path("binaryData").fields().forEachRemaining(e -> m.putIfAbsent(e.getKey(),
          new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
    }
    data.put(key, m);
    if (ready) {
      onChange.run();
    }
  }

  @Override
  public void caughtUp() {
    ready = true;
    onChange.run();
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public Optional<Map<String, String>> configMap(String namespace, String name) {
    return Optional.ofNullable(data.get(new ObjectKey(CONFIGMAPS, namespace, name).toString()));
  }

  @Override
  public Optional<Map<String, String>> secret(String namespace, String name) {
    return Optional.ofNullable(data.get(new ObjectKey(SECRETS, namespace, name).toString()));
  }
}
