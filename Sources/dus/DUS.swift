import ArgumentParser
import DUSCore
import Foundation

@main
struct DUS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dus",
        abstract: "Learning reviews of drug-related deaths and near misses among people under probation supervision.",
        discussion: """
            Every command that uses a database reads it from --db, else DUS_DB, else ./dus.sqlite.

            Exit codes: 0 success; 1 problems with the input or the data, or a refused operation; 64 usage error.

            Examples:
              dus import reviews
              dus list --period 2026-Q1 --status published
            """,
        version: "0.1.0",
        subcommands: [
            ImportCommand.self, ValidateCommand.self, ShowCommand.self, ListCommand.self,
            ExportCommand.self, FactorsCommand.self, PatternsCommand.self, SearchCommand.self, SimilarCommand.self, ActionsCommand.self, ActionCommand.self, RecommendationCommand.self, ActionPlanCommand.self, BulletinCommand.self, NewCommand.self, EditCommand.self, StatusCommand.self, HistoryCommand.self, ServeCommand.self, UserCommand.self, RedactCommand.self, DeleteCommand.self, DoctorCommand.self, BackupCommand.self, GenerateCommand.self,
        ]
    )
}
