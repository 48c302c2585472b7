package io.kafkube.schemas.json;

/** The input is not one well-formed JSON or YAML document. */
public final class MalformedDocumentException extends IllegalArgumentException {
  private final int line;
  private final int column;

  MalformedDocumentException(String message, int line, int column, Throwable cause) {
    super(message, cause);
    this.line = line;
    this.column = column;
  }

  /** 1-based line of the error, or -1 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based column of the error, or -1 when unknown. */
  public int column() {
    return column;
  }
}
