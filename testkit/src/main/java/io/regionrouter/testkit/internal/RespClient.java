package io.regionrouter.testkit.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends one command to a Redis on 127.0.0.1 and returns its reply as text: enough to assemble a
 * cluster without a client library in the testkit's runtime. Not thread-safe; one command per call.
 */
final class RespClient {

    private static final int TIMEOUT_MS = 5_000;

    private RespClient() {
    }

    /**
     * Runs a command.
     *
     * @return a simple or bulk reply as text, an integer as its digits, null for a nil bulk
     * @throws IllegalStateException for an error reply or an array reply
     * @throws UncheckedIOException if the server cannot be reached
     */
    static String call(int port, String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(AbstractProxiedServer.HOST, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                command.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a)
                        .append("\r\n");
            }
            out.write(command.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String line = readLine(in);
            switch (line.charAt(0)) {
                case '+':
                case ':':
                    return line.substring(1);
                case '-':
                    throw new IllegalStateException("Redis on port " + port + " answered " + String.join(" ", args[0])
                            + " with " + line.substring(1));
                case '$':
                    int length = Integer.parseInt(line.substring(1));
                    if (length < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(length + 2);
                    return new String(data, 0, length, StandardCharsets.UTF_8);
                default:
                    throw new IllegalStateException("unexpected reply to " + args[0] + ": " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " did not answer " + args[0], e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
        throw new IOException("connection closed before a full reply line");
    }
}
