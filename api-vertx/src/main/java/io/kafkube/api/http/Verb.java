package io.kafkube.api.http;

import io.kafkube.api.ApiException;
import io.kafkube.api.discovery.Subresource;
import io.vertx.core.http.HttpMethod;

/** What a resource request does, from its method, path and {@code watch} parameter. */
public enum Verb {
  GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE, DELETE_COLLECTION, GET_SCALE, UPDATE_SCALE, PATCH_SCALE,
  CREATE_BINDING, CREATE_TOKEN, GET_LOG, EXEC;

  static Verb of(HttpMethod method, RequestInfo ri, boolean watch) {
    Subresource sub = ri.subresource();
    if (sub == Subresource.SCALE) {
      if (method == HttpMethod.GET) {
        return GET_SCALE;
      }
      if (method == HttpMethod.PUT) {
        return UPDATE_SCALE;
      }
      if (method == HttpMethod.PATCH) {
        return PATCH_SCALE;
      }
    } else if (sub == Subresource.BINDING) {
      if (method == HttpMethod.POST) {
        return CREATE_BINDING;
      }
    } else if (sub == Subresource.LOG) {
      if (method == HttpMethod.GET) {
        return GET_LOG;
      }
    } else if (sub == Subresource.EXEC) {
      if (method == HttpMethod.GET || method == HttpMethod.POST) {
        return EXEC;
      }
    } else if (sub == Subresource.TOKEN) {
      if (method == HttpMethod.POST) {
        return CREATE_TOKEN;
      }
    } else if (method == HttpMethod.GET) {
      return ri.named() ? (watch ? WATCH : GET) : (watch ? WATCH : LIST);
    } else if (method == HttpMethod.POST && !ri.named()) {
      return CREATE;
    } else if (method == HttpMethod.PUT && ri.named()) {
      return UPDATE;
    } else if (method == HttpMethod.PATCH && ri.named()) {
      return PATCH;
    } else if (method == HttpMethod.DELETE && sub == null) {
      return ri.named() ? DELETE : DELETE_COLLECTION;
    }
    throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
}
