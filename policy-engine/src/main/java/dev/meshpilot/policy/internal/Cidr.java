package dev.meshpilot.policy.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address-in-block checks for ipBlocks ({@code 10.0.0.0/8}, a single address, IPv4 or IPv6 literals only). */
final class Cidr {
    private Cidr() {}

    static boolean contains(String block, String ip) {
        try {
            int slash = block.indexOf('/');
            String base = slash < 0 ? block : block.substring(0, slash);
            if (!literal(base) || !literal(ip)) {
                return block.equals(ip);
            }
            byte[] a = InetAddress.getByName(base).getAddress();
            byte[] b = InetAddress.getByName(ip).getAddress();
            if (a.length != b.length) {
                return false;
            }
            int bits = slash < 0 ? a.length * 8 : Integer.parseInt(block.substring(slash + 1));
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Whether {@code s} is an IPv4 or IPv6 literal (no name lookup). */
    static boolean isIp(String s) {
        if (s.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")) {
            return true;
        }
        if (!s.contains(":") || !s.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(s);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@code s} is an address or an address/prefix-length block. */
    static boolean isBlock(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return isIp(s);
        }
        String base = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        if (!isIp(base) || !bits.matches("\\d{1,3}")) {
            return false;
        }
        return Integer.parseInt(bits) <= (base.contains(":") ? 128 : 32);
    }

    private static boolean literal(String s) {
        return !s.isEmpty() && (s.contains(":") || s.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    }
}
