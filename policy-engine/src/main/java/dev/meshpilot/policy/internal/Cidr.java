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

    private static boolean literal(String s) {
        return !s.isEmpty() && (s.contains(":") || s.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    }
}
