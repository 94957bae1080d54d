package dev.warden.semantic.execution;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The generated data every engine gets, identical everywhere (fixed seed). Notes include hostile
 * strings so that injection properties can check what a filter returns.
 */
public final class ShopData {
    public record User(int id, String name, String email, String region, LocalDate signupOn) {}

    public record Order(int id, int userId, String status, String region, String note, boolean isGift,
            LocalDateTime createdAt, int amountCents, String internalCode) {}

    public record Item(int id, int orderId, String sku, int quantity) {}

    public static final List<String> NOTES = List.of("plain", "it's", "100%", "a_b", "back\\slash", "semi;colon",
            "-- comment", "/* c */", "ｅu", "Plain", "plain ", "émoji 🎉", "x' OR '1'='1", "!bang", "quote\"d", "");

    public final List<User> users = new ArrayList<>();
    public final List<Order> orders = new ArrayList<>();
    public final List<Item> items = new ArrayList<>();

    private static final ShopData INSTANCE = new ShopData();

    public static ShopData get() {
        return INSTANCE;
    }

    private ShopData() {
        Random r = new Random(20250101L);
        String[] regions = {"eu", "us", "apac"};
        String[] statuses = {"complete", "shipped", "pending", "test", "complete", "cancelled"};
        for (int i = 1; i <= 40; i++) {
            users.add(new User(i, "user" + i, "user" + i + "@example.com", regions[r.nextInt(3)],
                    LocalDate.of(2024, 1, 1).plusDays(r.nextInt(700))));
        }
        for (int i = 1; i <= 300; i++) {
            // Users 39 and 40 have no orders; some orders point at no user (left join keeps them).
            int userId = i % 29 == 0 ? 999 : 1 + r.nextInt(38);
            LocalDateTime created = LocalDateTime.of(2025, 1, 1, 0, 0).plusMinutes(r.nextInt(365 * 24 * 60));
            if (i % 50 == 0) {
                created = LocalDateTime.of(2025, 6, 30, 23, 30);
            }
            if (i % 51 == 0) {
                created = LocalDateTime.of(2025, 7, 1, 0, 0);
            }
            orders.add(new Order(i, userId, statuses[r.nextInt(statuses.length)], regions[r.nextInt(3)],
                    NOTES.get(r.nextInt(NOTES.size())), r.nextBoolean(), created, 500 + r.nextInt(30000),
                    "C" + (char) ('A' + r.nextInt(5)) + r.nextInt(10)));
            int n = r.nextInt(5);
            for (int k = 0; k < n; k++) {
                items.add(new Item(items.size() + 1, i, "sku" + r.nextInt(12), 1 + r.nextInt(6)));
            }
        }
    }
}
