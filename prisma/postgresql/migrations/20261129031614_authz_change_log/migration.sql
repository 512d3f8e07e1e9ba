-- CreateTable
CREATE TABLE "AuthzChange" (
    "version" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "entries" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuthzChange_pkey" PRIMARY KEY ("version")
);

