package io.kafkube.api.http;

import io.kafkube.api.ApiException;
import io.kafkube.api.table.Tables;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** Query parameters and headers of a request, parsed as kube-apiserver parses them. */
final class Params {
  private Params() {}

  /** Go's strconv.ParseBool; absent is false; anything else is a 400. */
  static boolean bool(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return false;
    }
    return switch (v) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw ApiException.badRequest("invalid value for " + name + ": " + v);
    };
  }

  static String string(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isEmpty() ? null : v;
  }

  static Long number(RoutingContext ctx, String name) {
    String v = string(ctx, name);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid value for " + name + ": " + v);
    }
  }

  /** {@code dryRun=All}; any other value is a 400, as in kube-apiserver. */
  static boolean dryRun(RoutingContext ctx) {
    String v = string(ctx, "dryRun");
    if (v == null) {
      return false;
    }
    if (!v.equals("All")) {
      throw ApiException.badRequest("dryRun: Unsupported value: \"" + v + "\": supported values: \"All\"");
    }
    return true;
  }

  /** Whether the client asked for a {@code meta.k8s.io/v1 Table}. */
  static boolean wantsTable(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    if (accept == null) {
      return false;
    }
    for (String part : accept.split(",")) {
      String p = part.replace(" ", "").toLowerCase(Locale.ROOT);
      if (p.startsWith("application/json") && p.contains("as=table") && p.contains("g=meta.k8s.io")
          && (p.contains("v=v1;") || p.endsWith("v=v1"))) {
        return true;
      }
    }
    return false;
  }

  static Tables.Include include(RoutingContext ctx) {
    String v = string(ctx, "includeObject");
    if (v == null || v.equals("Metadata")) {
      return Tables.Include.METADATA;
    }
    return switch (v) {
      case "Object" -> Tables.Include.OBJECT;
      case "None" -> Tables.Include.NONE;
      default -> throw ApiException.badRequest("includeObject must be one of None, Metadata or Object");
    };
  }

  static String contentType(RoutingContext ctx) {
    String ct = ctx.request().getHeader("Content-Type");
    if (ct == null) {
      return "";
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }
}
