package io.kafkube.schemas.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Base64;

/**
 * Reads one JSON or YAML document into a tree, reporting every duplicate key with its path
 * (Jackson's own strict mode stops at the first one and has no Kubernetes path).
 */
final class DocumentReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = new YAMLFactory();

  private DocumentReader() {}

  static ParsedDocument read(byte[] input) {
    boolean json = looksLikeJson(input);
    String format = json ? "JSON" : "YAML";
    Context ctx = new Context();
    try (JsonParser p = (json ? JSON : YAML).createParser(input)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new MalformedDocumentException("empty " + format + " document", -1, -1, null);
      }
      JsonNode root = value(p, first, ctx);
      JsonToken next = p.nextToken();
      if (next != null) {
        JsonLocation at = p.currentTokenLocation();
        throw new MalformedDocumentException("invalid " + format + " at line " + at.getLineNr() + ", column "
            + at.getColumnNr() + ": expected a single document, found more after it",
            at.getLineNr(), at.getColumnNr(), null);
      }
      return new ParsedDocument(root, ctx.problems);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      int line = at == null ? -1 : at.getLineNr();
      int column = at == null ? -1 : at.getColumnNr();
      throw new MalformedDocumentException("invalid " + format
          + (at == null ? "" : " at line " + line + ", column " + column) + ": " + e.getOriginalMessage(),
          line, column, e);
    } catch (IOException e) {
      throw new MalformedDocumentException("cannot read " + format + ": " + e.getMessage(), -1, -1, e);
    }
  }

  private static boolean looksLikeJson(byte[] input) {
    for (byte b : input) {
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        continue;
      }
      return b == '{' || b == '[';
    }
    return false;
  }

  private static JsonNode value(JsonParser p, JsonToken token, Context ctx) throws IOException {
    switch (token) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
          String name = p.currentName();
          int mark = ctx.pushField(name);
          JsonNode v = value(p, p.nextToken(), ctx);
          if (o.has(name)) {
            ctx.duplicateField();
          }
          o.set(name, v); // the last value wins, as in Go
          ctx.reset(mark);
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          int mark = ctx.pushIndex(i++);
          a.add(value(p, t, ctx));
          ctx.reset(mark);
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      case VALUE_EMBEDDED_OBJECT: {
        Object embedded = p.getEmbeddedObject(); // YAML !!binary
        if (embedded instanceof byte[] bytes) {
          return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        return embedded == null ? NODES.nullNode() : NODES.textNode(embedded.toString());
      }
      default: {
        JsonLocation at = p.currentTokenLocation();
        throw new MalformedDocumentException("invalid document at line " + at.getLineNr() + ", column "
            + at.getColumnNr() + ": unexpected " + token, at.getLineNr(), at.getColumnNr(), null);
      }
    }
  }
}
