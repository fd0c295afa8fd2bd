package io.coedge.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for input a well-behaved client would refuse to send: raw bytes in the request
 * line, oversize heads, lying lengths, slow senders. Every request carries {@code Connection: close}, so a reply
 * is everything read until the server closes.
 */
final class RawHttp {

  /** What came back: {@code status} -1 when the connection closed (or went silent) without a status line. */
  record Reply(int status, String head, String body) {

    boolean closedWithoutAnswer() {
      return status == -1;
    }

    @Override
    public String toString() {
      return status + " " + body.substring(0, Math.min(body.length(), 300));
    }
  }

  private RawHttp() {
  }

  static byte[] request(String method, String target, String contentType, byte[] body, String... headers) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1\r\nConnection: close\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + (body == null ? 0 : body.length)];
    System.arraycopy(h, 0, all, 0, h.length);
    if (body != null) {
      System.arraycopy(body, 0, all, h.length, body.length);
    }
    return all;
  }

  /** Sends {@code bytes} and reads until the server closes, at most {@code timeoutMs} of silence. */
  static Reply exchange(int port, byte[] bytes, int timeoutMs) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(timeoutMs);
      try {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
      } catch (IOException e) {
        // the server may close before it has read everything (an oversize head): read what it answered
      }
      return parse(readAll(s.getInputStream()));
    }
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      copy(in, out);
    } catch (SocketTimeoutException | SocketException e) {
      // silence or reset: what arrived so far is the answer
    }
    return out.toByteArray();
  }

  /** Everything read until the server closes {@code s} (a reset counts); silence until its timeout fails the test. */
  static byte[] readUntilClosed(Socket s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      copy(s.getInputStream(), out);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server still held the connection open after " + s.getSoTimeout() + " ms", e);
    } catch (SocketException e) {
      // reset: closed
    }
    return out.toByteArray();
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) throws IOException {
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
    }
  }

  static Reply parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) {
      return new Reply(-1, "", text);
    }
    return new Reply(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
  }
}
