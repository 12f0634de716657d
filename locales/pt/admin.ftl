## admin

admin-title = Administração
admin-users = Contas
admin-classes = Turmas
admin-import = Importar uma lista de turma
admin-audit = Registo de administração
admin-settings = Definições da escola

## flash.admin

flash-admin-link_added = A ligação foi adicionada.
flash-admin-link_removed = A ligação foi removida.
flash-admin-class_created = A turma foi criada.
flash-admin-member_added = Adicionado à turma.
flash-admin-member_removed = Retirado da turma.
flash-admin-settings_restart = Guardado. Os novos nomes de anfitrião só chegam ao certificado de segurança quando o servidor for reiniciado.

## admin_users

admin_users-new_title = Nova conta
admin_users-search = Nome ou nome de utilizador
admin_users-role = Função
admin_users-all_roles = Todas as funções
admin_users-find = Procurar
admin_users-name = Nome
admin_users-username = Nome de utilizador
admin_users-status = Estado
admin_users-status_disabled = desativada
admin_users-status_no_password = ainda sem palavra-passe
admin_users-status_must_change = palavra-passe provisória
admin_users-none_found = Nenhuma conta corresponde.
admin_users-previous = ← Página anterior
admin_users-next = Página seguinte →
admin_users-first_name = Nome próprio
admin_users-last_name = Apelido
admin_users-username_hint = Deixe vazio para o formar a partir dos nomes (nome.apelido). Letras minúsculas sem acentos, algarismos, pontos, hífenes ou sublinhados.
admin_users-language = Língua
admin_users-class = Turma
admin_users-no_class = Nenhuma turma
admin_users-class_hint = Só para um aluno (a turma em que está) ou para um professor (uma turma em que leciona).
admin_users-password_hint = É criada uma palavra-passe provisória, mostrada uma única vez na página seguinte; terá de ser alterada no primeiro início de sessão.
admin_users-create = Criar a conta
admin_users-error_role = Escolha uma função da lista.
admin_users-error_class_role = Só os alunos e os professores pertencem a uma turma: escolha “Nenhuma turma” para esta função.
admin_users-error_language = Escolha uma língua da lista.
admin_users-error_own_account = Não pode desativar a sua própria conta nem alterar a sua própria função. Peça a outro administrador.
admin_users-error_unknown_username = Não existe nenhuma conta com este nome de utilizador.
admin_users-created_at = criada em
admin_users-edit_title = Dados da conta
admin_users-disabled = Conta desativada (não pode iniciar sessão)
admin_users-disabled_hint = Desativar uma conta termina imediatamente todas as suas sessões, em todo o lado. Nada é apagado.
admin_users-self_hint = Esta é a sua própria conta: não a pode desativar nem alterar a sua função.
admin_users-password_title = Palavra-passe
admin_users-reset_hint = Cria uma nova palavra-passe provisória e mostra-a uma única vez. A antiga deixa de funcionar, todas as sessões da conta são terminadas, e terá de ser escolhida uma nova palavra-passe no próximo início de sessão.
admin_users-reset_button = Repor a palavra-passe
admin_users-reset_not_allowed = Não tem permissão para repor a palavra-passe desta conta.
admin_users-no_classes = Em nenhuma turma.
admin_users-parents = Encarregados de educação
admin_users-children = Educandos
admin_users-unlink = Remover a ligação
admin_users-no_links = Ainda sem ligações.
admin_users-add_parent = Adicionar um encarregado de educação (pelo nome de utilizador)
admin_users-add_child = Adicionar um educando (pelo nome de utilizador)
admin_users-link = Ligar
admin_users-created_title = Conta criada
admin_users-reset_title = Nova palavra-passe
admin_users-shown_once = Anote ou imprima esta palavra-passe agora: só é mostrada desta vez. Terá de ser alterada no primeiro início de sessão.
admin_users-sessions_ended = A palavra-passe antiga já não funciona, e todas as sessões da conta foram terminadas.
admin_users-done = Concluído

## admin_classes

admin_classes-my_classes = As minhas turmas
admin_classes-none_taught = Ainda não leciona em nenhuma turma.
admin_classes-as_pupil = aluno
admin_classes-as_teacher = professor
admin_classes-name = Turma
admin_classes-school_year = Ano letivo
admin_classes-none = Ainda não há turmas.
admin_classes-new_title = Nova turma
admin_classes-create = Criar a turma
admin_classes-actions = Ações
admin_classes-remove = Retirar da turma
admin_classes-no_pupils = Ainda não há alunos nesta turma.
admin_classes-no_teachers = Ainda não há professores para esta turma.
admin_classes-add_title = Adicionar um aluno ou um professor
admin_classes-add = Adicionar
admin_classes-add_hint = A conta de um aluno entra na turma; a conta de um professor passa a lecionar nela.
admin_classes-new_pupil = Ou criar um novo aluno nesta turma.
admin_classes-error_year = Um ano letivo escreve-se com dois anos seguidos, como 2026-2027.

## slips

slips-title = Fichas de acesso · { $class }
slips-form_title = Fichas de acesso
slips-warning = Imprimir as fichas dá uma nova palavra-passe a cada aluno: a palavra-passe atual deixa de funcionar, e o aluno escolhe a sua no próximo início de sessão.
slips-only_some = Só para alguns alunos
slips-pick_hint = Marque os alunos que precisam de uma ficha (nenhum marcado: todos os alunos da turma).
slips-button = Imprimir as fichas de acesso
slips-no_pupils = Não há nenhum aluno para quem imprimir uma ficha.
slips-shown_once =
    { $n ->
        [one] { $n } nova palavra-passe: só é mostrada nesta página. Imprima-a agora.
       *[other] { $n } novas palavras-passe: só são mostradas nesta página. Imprima-a agora.
    }
slips-print_hint = Imprima esta página (Ctrl+P) e corte pelas linhas ponteadas: só as fichas são impressas.
slips-address = Endereço
slips-username = Nome de utilizador
slips-password = Palavra-passe
slips-instruction = Vá a este endereço, inicie sessão com este nome de utilizador e esta palavra-passe e depois escolha a sua própria palavra-passe.
slips-error_none = Não há nenhum aluno para quem imprimir uma ficha (as contas desativadas não recebem nenhuma).
slips-error_changed = A turma mudou entretanto (um aluno saiu dela ou foi desativado). Nenhuma palavra-passe foi alterada: tente novamente.

## audit

audit-when = Quando
audit-who = Quem
audit-what = Ação
audit-target = Diz respeito a
audit-detail = Pormenor
audit-empty = Ainda nada registado.
audit-newer = ← Mais recentes
audit-older = Mais antigos →

## audit_action

audit_action-create_account = Conta criada
audit_action-edit_account = Conta alterada
audit_action-reset_password = Palavra-passe reposta
audit_action-disable_account = Conta desativada
audit_action-enable_account = Conta reativada
audit_action-manage_classes = Turmas alteradas
audit_action-print_slips = Fichas de acesso impressas
audit_action-manage_parent_links = Ligação familiar alterada
audit_action-import_accounts = Lista de turma importada
audit_action-edit_settings = Definições alteradas
audit_action-manage_mail_queue = Fila de correio alterada
audit_action-moderate_forum = Fórum moderado
audit_action-manage_forum_categories = Categoria do fórum adicionada
audit_action-delete_news = Notícia eliminada
audit_action-delete_event = Evento da agenda eliminado
audit_action-delete_book_entry = Registo do caderno de sumários eliminado
audit_action-review_absences = Falta analisada

## settings_page

settings_page-quota_dropbox = As entregas de cada aluno para um trabalho
settings_page-quotas = Quotas de armazenamento
settings_page-quotas_hint = Em MiB (1024 MiB = 1 GiB), as mesmas para o portal e para as unidades de rede. Os ficheiros no lixo não contam.
settings_page-quota_invalid = Uma quota tem de ser um número inteiro de MiB, no máximo 1048576.
settings_page-blog_images = Fotografias dos blogues
settings_page-image_px = Lado maior de uma fotografia, em píxeis
settings_page-image_px_hint = As fotografias maiores são reduzidas ao enviar, para que as páginas fiquem leves num telemóvel.
settings_page-image_px_invalid = O lado maior é um número inteiro de píxeis, de 100 a 12000.
settings_page-quota_admin = Administradores (cada um)
settings_page-quota_staff = Secretaria e serviços escolares (cada pessoa)
settings_page-quota_teacher = Professores (cada um)
settings_page-quota_pupil = Alunos (cada um)
settings_page-quota_parent = Encarregados de educação (cada um)
settings_page-quota_shared = Cada espaço de turma, e a sala dos professores
settings_page-school_name = Nome da escola
settings_page-host_names = Nomes de anfitrião
settings_page-host_names_hint = Os nomes (ou endereços) que se escrevem para chegar ao portal, separados por vírgulas; o primeiro é impresso nas fichas de acesso. Uma alteração só chega ao certificado de segurança quando o servidor for reiniciado.
settings_page-mail_domain = Domínio de correio
settings_page-default_language = Língua predefinida
settings_page-language_auto = A língua de cada navegador
settings_page-school_year = Ano letivo
settings_page-school_year_hint = Como 2026-2027. As novas turmas são criadas para este ano.
settings_page-error_school_name = O nome da escola tem de ter entre 1 e 100 caracteres.
settings_page-error_host_name = “{ $value }” não é um nome de anfitrião (letras, algarismos, hífenes, pontos) nem um endereço IP.
settings_page-error_no_host_name = Indique pelo menos um nome de anfitrião.
settings_page-error_mail_domain = O domínio de correio tem de ser um nome de domínio, como ecole.example.fr.
settings_page-error_language = Escolha uma língua da lista.
settings_page-error_school_year = Um ano letivo escreve-se com dois anos seguidos, como 2026-2027.

## system_page

system_page-title = Sistema
system_page-version = Versão
system_page-uptime = Em funcionamento há
system_page-uptime_value =
    { $days ->
        [one] { $days } dia
       *[other] { $days } dias
    }, { $hours ->
        [one] { $hours } hora
       *[other] { $hours } horas
    }
system_page-disk = Disco livre / total
system_page-memory = Memória disponível / total
system_page-accounts = Contas ativas
system_page-queue = Correio à espera de sair
system_page-queue_value =
    { $n ->
        [one] { $n } mensagem
       *[other] { $n } mensagens
    }, a mais antiga à espera desde { $when }
system_page-queue_empty = nenhuma
system_page-certificate = Certificado do servidor válido até
system_page-backup = Última cópia de segurança
system_page-update = Última atualização
system_page-none = ainda nenhuma
system_page-backup_overdue = A última cópia de segurança é de { $when }: há mais de 3 dias. Ligue o disco USB com o nome CARTABLE-BK, ou fale com o seu técnico de manutenção.
system_page-backup_never = Ainda não foi feita nenhuma cópia de segurança. Ligue um disco USB com o nome CARTABLE-BK: a cópia de segurança de cada noite será feita nele.
system_page-rolled_back = A atualização para a versão { $to } ({ $when }) falhou nas verificações e foi anulada automaticamente: está a funcionar a versão { $from }, com os dados tal como estavam.
system_page-integrity = Verificação da base de dados
system_page-integrity_never = ainda não foi feita: é feita depois de cada arranque
system_page-integrity_running = em curso desde { $when }
system_page-integrity_ok = nenhum dano encontrado ({ $when })
system_page-integrity_problem = DANOS ENCONTRADOS ({ $when })
system_page-integrity_interrupted = interrompida ({ $when }): o servidor parou antes do fim; será feita de novo no próximo arranque
system_page-integrity_alert = A verificação da base de dados de { $when } encontrou danos. O Cartable continua a funcionar, mas peça já ao seu técnico de manutenção que restaure a última cópia de segurança feita antes dessa data (cartable restore), e guarde as cópias mais antigas: as que forem feitas a partir de agora contêm os danos. O que foi encontrado:
system_page-hint = Os técnicos de manutenção veem o mesmo com `cartable status` por SSH.
