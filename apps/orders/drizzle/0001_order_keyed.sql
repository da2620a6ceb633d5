-- Reservations are keyed on the order (from the signed body), no longer on the unsigned message id.
ALTER TABLE "reservations" DROP CONSTRAINT "reservations_pkey";--> statement-breakpoint
DELETE FROM "reservations" AS "later" USING "reservations" AS "first" WHERE "later"."order_id" = "first"."order_id" AND "later"."ctid" > "first"."ctid";--> statement-breakpoint
ALTER TABLE "reservations" ADD PRIMARY KEY ("order_id");--> statement-breakpoint
ALTER TABLE "reservations" ALTER COLUMN "message_id" DROP NOT NULL;
