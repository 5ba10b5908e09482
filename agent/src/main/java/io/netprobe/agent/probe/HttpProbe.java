package io.netprobe.agent.probe;

import io.netprobe.agent.net.NetNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * HTTP GET through Netty, layer by layer, so that a failure names its layer: the TCP handshake (as
 * {@link TcpProbe} makes it, with its statuses), the TLS handshake for https (TLS_FAILED), the
 * status line (NOT_HTTP when what answered is no HTTP server, HTTP_STATUS when the status is not
 * the expected one), and the body (BODY_MISMATCH when it lacks the expected text). A response that
 * passes is REPLY. The far end closing before a byte is CLOSED, as for TCP: a relay whose backend
 * refused.
 *
 * <p>The certificate of an https server is recorded, not verified: a lab's certificates are
 * self-signed, and the question is whether the path and the service work. The body is read up to
 * {@link ProbeSpec.Http#BODY_LIMIT} bytes; its first bytes are evidence.
 */
public final class HttpProbe implements Probe {
  /** How many bytes of what answered are quoted in the evidence. */
  static final int QUOTE = 120;

  /** How the evidence line of a response begins: {@code HTTP/1.1 404 Not Found 2.1 ms after}. */
  public static final java.util.regex.Pattern STATUS_LINE =
      java.util.regex.Pattern.compile(
          "^(HTTP/\\d(?:\\.\\d)?) (\\d{3}) (.*?) [0-9.]+ ms after the request");

  /** How the evidence line that quotes what a server sent begins. */
  public static final String FIRST_BYTES = "first bytes from the server: ";

  /** The evidence line of the response's status ({@link #STATUS_LINE}), if one came. */
  public static java.util.Optional<java.util.regex.Matcher> statusLine(
      java.util.List<String> evidence) {
    return evidence.stream()
        .map(STATUS_LINE::matcher)
        .filter(java.util.regex.Matcher::find)
        .findFirst();
  }

  private final TcpProbe tcp;

  public HttpProbe(ProbeSpec.Http spec, NetNamespace netns) {
    this.tcp = new TcpProbe(spec.label(), spec.port(), netns, new Exchange(spec));
  }

  @Override
  public CompletableFuture<ProbeResult> run(ProbeTarget target) {
    return tcp.run(target);
  }

  /** After the handshake: TLS if asked, the request, the response. */
  private static final class Exchange implements TcpProbe.AfterHandshake {
    private final ProbeSpec.Http spec;

    Exchange(ProbeSpec.Http spec) {
      this.spec = spec;
    }

    @Override
    public CompletableFuture<Void> speak(
        Channel ch, ProbeResult.Builder result, ProbeTarget target) {
      Reader reader = new Reader(spec, result);
      Tap wire = new Tap();
      ch.pipeline().addLast("wire", wire);
      if (spec.tls()) {
        SslHandler ssl;
        try {
          ssl = client().newHandler(ch.alloc());
        } catch (SSLException e) {
          result.status(ProbeStatus.ERROR).evidence("no TLS client on this agent: " + e);
          return CompletableFuture.completedFuture(null);
        }
        ch.pipeline().addLast("tls", ssl);
        ssl.handshakeFuture()
            .addListener(
                f -> {
                  if (f.isSuccess()) {
                    reader.secured = true;
                    result.step("tls");
                    result.evidence(tlsSaid(ssl.engine().getSession()));
                  } else {
                    reader.tlsFailed(f.cause(), wire);
                  }
                });
      }
      Tap plain = spec.tls() ? new Tap() : wire;
      if (spec.tls()) {
        ch.pipeline().addLast("plain", plain);
      }
      ch.pipeline().addLast("http", new HttpClientCodec(4096, 16_384, 8192));
      ch.pipeline().addLast("reader", reader.tapping(wire, plain));
      String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
      int defaultPort = spec.tls() ? 443 : 80;
      DefaultFullHttpRequest get =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, spec.path());
      get.headers()
          .set(HttpHeaderNames.HOST, spec.port() == defaultPort ? host : host + ":" + spec.port())
          .set(HttpHeaderNames.USER_AGENT, "netprobe")
          .set(HttpHeaderNames.ACCEPT, "*/*")
          .set(HttpHeaderNames.CONNECTION, "close");
      reader.sentNanos = System.nanoTime();
      result.evidence("GET " + spec.path() + " sent" + (spec.tls() ? " over TLS" : ""));
      result.step("request");
      ch.writeAndFlush(get);
      ch.eventLoop()
          .schedule(
              () -> reader.timedOut(target.timeoutMs()), target.timeoutMs(), TimeUnit.MILLISECONDS);
      return reader.done;
    }
  }

  private static volatile SslContext client;

  /** One TLS client for the agent, trusting any certificate (recorded, never verified). */
  private static SslContext client() throws SSLException {
    SslContext c = client;
    if (c == null) {
      synchronized (HttpProbe.class) {
        if (client == null) {
          client =
              SslContextBuilder.forClient()
                  .trustManager(InsecureTrustManagerFactory.INSTANCE)
                  .build();
        }
        c = client;
      }
    }
    return c;
  }

  /** {@code TLS: TLSv1.3 TLS_AES_256_GCM_SHA384; certificate CN=lab, issued by CN=lab, ...}. */
  static String tlsSaid(SSLSession session) {
    StringBuilder said =
        new StringBuilder("TLS handshake: ")
            .append(session.getProtocol())
            .append(' ')
            .append(session.getCipherSuite());
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
        said.append("; certificate ")
            .append(x.getSubjectX500Principal().getName())
            .append(", issued by ")
            .append(x.getIssuerX500Principal().getName())
            .append(", valid until ")
            .append(x.getNotAfter().toInstant())
            .append(" (recorded, not verified)");
      }
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      said.append("; no certificate");
    }
    return said.toString();
  }

  /** The first bytes that passed a point of the pipeline, and whether any did. */
  static final class Tap extends ChannelInboundHandlerAdapter {
    private final ByteArrayOutputStream first = new ByteArrayOutputStream();
    private long bytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf b) {
        int take = (int) Math.min(b.readableBytes(), QUOTE - first.size());
        if (take > 0) {
          byte[] copy = new byte[take];
          b.getBytes(b.readerIndex(), copy);
          first.writeBytes(copy);
        }
        bytes += b.readableBytes();
      }
      ctx.fireChannelRead(msg);
    }

    boolean spoke() {
      return bytes > 0;
    }

    String quoted() {
      return quote(first.toByteArray(), first.size());
    }
  }

  /** The bytes as text a person can read: printable ASCII, the rest as \n, \r or \xNN. */
  static String quote(byte[] bytes, int length) {
    StringBuilder q = new StringBuilder("'");
    for (int i = 0; i < Math.min(length, bytes.length); i++) {
      int b = bytes[i] & 0xff;
      if (b == '\n') {
        q.append("\\n");
      } else if (b == '\r') {
        q.append("\\r");
      } else if (b == '\'' || b == '\\') {
        q.append('\\').append((char) b);
      } else if (b >= 0x20 && b < 0x7f) {
        q.append((char) b);
      } else {
        q.append(String.format("\\x%02x", b));
      }
    }
    return q.append('\'').toString();
  }

  /** Reads the response and decides the status; completes {@link #done} once. */
  static final class Reader extends SimpleChannelInboundHandler<HttpObject> {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final ProbeSpec.Http spec;
    private final ProbeResult.Builder result;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private Tap wire;
    private Tap plain;
    private HttpResponse head;
    private boolean reset;
    volatile boolean secured;
    volatile long sentNanos;

    Reader(ProbeSpec.Http spec, ProbeResult.Builder result) {
      this.spec = spec;
      this.result = result;
    }

    Reader tapping(Tap wireTap, Tap plainTap) {
      this.wire = wireTap;
      this.plain = plainTap;
      return this;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (done.isDone()) {
        return;
      }
      if (msg instanceof HttpResponse r) {
        if (r.decoderResult().isFailure()) {
          notHttp("what answered is not HTTP (" + r.decoderResult().cause().getMessage() + ")");
          return;
        }
        head = r;
        result.step("status");
      }
      if (msg instanceof HttpContent c) {
        if (c.decoderResult().isFailure()) {
          notHttp("the response broke off (" + c.decoderResult().cause().getMessage() + ")");
          return;
        }
        ByteBuf content = c.content();
        int take = Math.min(content.readableBytes(), ProbeSpec.Http.BODY_LIMIT - body.size());
        if (take > 0) {
          byte[] copy = new byte[take];
          content.getBytes(content.readerIndex(), copy);
          body.writeBytes(copy);
        }
        if (msg instanceof LastHttpContent || body.size() >= ProbeSpec.Http.BODY_LIMIT) {
          decide();
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable tls = sslCause(cause);
      if (tls != null) {
        tlsFailed(tls, wire);
        return;
      }
      if (cause instanceof java.io.IOException) {
        reset = true; // a reset: channelInactive follows and decides
        return;
      }
      notHttp("what answered could not be read as HTTP (" + cause.getMessage() + ")");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (done.isDone()) {
        return;
      }
      if (head != null) {
        decide();
      } else if (!wire.spoke()) {
        result
            .status(ProbeStatus.CLOSED)
            .step("closed")
            .evidence(
                "the far end closed the connection ("
                    + (reset ? "RST" : "FIN")
                    + ") "
                    + sinceSent()
                    + " ms after the request, before sending a byte");
        done.complete(null);
      } else if (spec.tls() && !plain.spoke()) {
        tlsFailed(new SSLException("the connection closed during the TLS handshake"), wire);
      } else {
        notHttp("the connection closed before a whole HTTP status line and headers came");
      }
    }

    void timedOut(int timeoutMs) {
      if (done.isDone()) {
        return;
      }
      if (head != null) {
        result.evidence("the body had not ended after " + timeoutMs + " ms; judged on what came");
        decide();
        return;
      }
      if (spec.tls() && !secured) {
        result
            .status(ProbeStatus.TLS_FAILED)
            .step("tls-failed")
            .evidence(
                "the TLS handshake had not completed "
                    + timeoutMs
                    + " ms after the connection: the port accepts connections but does not speak"
                    + " TLS");
        if (wire.spoke()) {
          result.evidence(FIRST_BYTES + wire.quoted());
        }
        done.complete(null);
        return;
      }
      notHttp(
          (wire.spoke() ? "no whole HTTP response" : "no byte came back")
              + " within "
              + timeoutMs
              + " ms of the request: the port accepts connections but does not answer HTTP");
    }

    void tlsFailed(Throwable cause, Tap wireTap) {
      if (done.isDone()) {
        return;
      }
      if (!wireTap.spoke() && !(cause instanceof javax.net.ssl.SSLHandshakeException)) {
        return; // a close before any byte: channelInactive says CLOSED
      }
      result
          .status(ProbeStatus.TLS_FAILED)
          .step("tls-failed")
          .evidence("TLS handshake failed: " + cause.getMessage());
      if (wireTap.spoke()) {
        result.evidence(FIRST_BYTES + wireTap.quoted());
      }
      done.complete(null);
    }

    private void notHttp(String why) {
      if (done.isDone()) {
        return;
      }
      result.status(ProbeStatus.NOT_HTTP).step("not-http").evidence(why);
      if (plain.spoke()) {
        result.evidence(FIRST_BYTES + plain.quoted());
      }
      done.complete(null);
    }

    /** The status line and the body against what the check expects. */
    private void decide() {
      if (done.isDone()) {
        return;
      }
      int code = head.status().code();
      String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
      String location = head.headers().get(HttpHeaderNames.LOCATION);
      byte[] bytes = body.toByteArray();
      result.evidence(
          head.protocolVersion()
              + " "
              + head.status()
              + " "
              + sinceSent()
              + " ms after the request"
              + (type == null ? "" : ", " + type)
              + (location == null ? "" : ", Location: " + location)
              + ", "
              + bytes.length
              + (bytes.length >= ProbeSpec.Http.BODY_LIMIT ? "+" : "")
              + " bytes"
              + (bytes.length == 0 ? "" : ": " + quote(bytes, QUOTE)));
      if (!spec.statusOk(code)) {
        result.status(ProbeStatus.HTTP_STATUS).step("status-unexpected");
        result.evidence("the check expects status " + spec.statusWanted() + ", not " + code);
      } else if (spec.body() != null
          && !new String(bytes, StandardCharsets.UTF_8).contains(spec.body())) {
        result.status(ProbeStatus.BODY_MISMATCH).step("body-unexpected");
        result.evidence(
            "the body does not hold the expected text "
                + quote(spec.body().getBytes(StandardCharsets.UTF_8), QUOTE));
      } else {
        result.status(ProbeStatus.REPLY).step("response");
      }
      done.complete(null);
    }

    private double sinceSent() {
      return Math.round((System.nanoTime() - sentNanos) / 1e4) / 1e2;
    }

    private static Throwable sslCause(Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c instanceof SSLException) {
          return c;
        }
      }
      return null;
    }
  }
}
