-- One email of each kind per order (the order id is signed), no longer one per unsigned message id.
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_message_id_unique";--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "message_id" DROP NOT NULL;--> statement-breakpoint
DELETE FROM "outbox" AS "later" USING "outbox" AS "first" WHERE "later"."kind" = "first"."kind" AND "later"."order_id" = "first"."order_id" AND "later"."id" > "first"."id";--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_kind_order_unique" UNIQUE("kind","order_id");