package io.kafkube.api.view;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kafkube.schemas.json.KubeJson;
import org.apache.avro.generic.GenericRecord;

/**
 * The JSON of the view's objects, rendered once per object version. The view replaces objects and never
 * changes one in place, so the bytes are kept per record instance (weak, identity keys): a LIST, a GET and
 * every watcher of a change share one rendering. Bounded by bytes.
 */
public final class RenderedObjects {
  private static final Cache<GenericRecord, byte[]> JSON = Caffeine.newBuilder().weakKeys()
      .maximumWeight(256L << 20).weigher((GenericRecord k, byte[] v) -> v.length).build();

  private RenderedObjects() {}

  /** The Kubernetes JSON of an object of the view (one never changed in place). */
  public static byte[] json(GenericRecord obj) {
    return JSON.get(obj, KubeJson::toJsonBytes);
  }
}
