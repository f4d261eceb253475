//! Evidence attached to leave requests (medical certificates, employer or school letters…).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LeaveAttachments {
    Table,
    Id,
    LeaveId,
    Kind,
    ContentType,
    Size,
    MediaKey,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum LeaveRequests {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LeaveAttachments::Table)
                .col(uuid(LeaveAttachments::Id).primary_key())
                .col(uuid(LeaveAttachments::LeaveId))
                .col(string_len(LeaveAttachments::Kind, 16))
                .col(string_len(LeaveAttachments::ContentType, 64))
                .col(big_integer(LeaveAttachments::Size))
                .col(string_len(LeaveAttachments::MediaKey, 128))
                .col(uuid(LeaveAttachments::UploadedBy))
                .col(timestamp_with_time_zone(LeaveAttachments::UploadedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(LeaveAttachments::Table, LeaveAttachments::LeaveId)
                        .to(LeaveRequests::Table, LeaveRequests::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_leave_attachments_leave")
                .table(LeaveAttachments::Table)
                .col(LeaveAttachments::LeaveId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LeaveAttachments::Table).to_owned())
            .await
    }
}
